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
    // Private storage behind getters, so the engine's reads skip the dynamic exclusivity
    // check: see `CompiledResourcePolicy`.
    @exclusivity(unchecked) private var _rules: [CompiledRule]
    /// Action rules of every `rules[].resource` entry, in policy order.
    public internal(set) var rules: [CompiledRule] {
        get { _rules }
        set { _rules = newValue }
    }
    @exclusivity(unchecked) private var _params: CompiledParams
    /// The policy's variables and constants.
    public internal(set) var params: CompiledParams {
        get { _params }
        set { _params = newValue }
    }

    /// Creates a principal policy.
    public init(principal: String, version: String, scope: String, scopePermissions: ScopePermissionMode,
                rules: [CompiledRule], params: CompiledParams) {
        self.principal = principal
        self.version = version
        self.scope = scope
        key = PolicyNamer.principalPolicyKey(principal: principal, version: version, scope: scope)
        self.scopePermissions = scopePermissions
        _rules = rules
        _params = params
    }
}
