/// A principal policy at one (principal, version, scope).
/// A class so the engine's lookups share one reference instead of copying every field; ids are
/// assigned once by `PolicySetBuilder` before the set is published, never after, which is why
/// the runtime exclusivity checks on its `var`s are switched off.
public final class CompiledPrincipalPolicy: @unchecked Sendable {
    /// The principal id as written.
    public let principal: String
    /// The policy version.
    public let version: String
    /// The policy scope.
    public let scope: String
    /// `principal.<id>.v<version>[/<scope>]`.
    public let key: String
    /// How this scope combines with its parents.
    public let scopePermissions: ScopePermissionMode
    /// Action rules of every `rules[].resource` entry, in policy order.
    @exclusivity(unchecked) public internal(set) var rules: [CompiledRule]
    /// The policy's variables and constants.
    @exclusivity(unchecked) public internal(set) var params: CompiledParams

    /// Creates a principal policy.
    public init(principal: String, version: String, scope: String, scopePermissions: ScopePermissionMode,
                rules: [CompiledRule], params: CompiledParams) {
        self.principal = principal
        self.version = version
        self.scope = scope
        key = PolicyNamer.principalPolicyKey(principal: principal, version: version, scope: scope)
        self.scopePermissions = scopePermissions
        self.rules = rules
        self.params = params
    }
}
