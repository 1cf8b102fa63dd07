/// A principal policy at one (principal, version, scope).
/// A class so the engine's lookups share one reference instead of copying every field. Every
/// property is a `let`: the policy-set builder registers a policy by making a copy whose rules
/// and parameters carry their ids (`registered(rules:params:)`), so a published policy never
/// changes.
public final class CompiledPrincipalPolicy: Sendable {
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
    public let rules: [CompiledRule]
    /// The policy's variables and constants.
    public let params: CompiledParams

    /// Creates an unregistered principal policy.
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

    /// This policy with its rules and parameters replaced by their registered copies.
    func registered(rules: [CompiledRule], params: CompiledParams) -> CompiledPrincipalPolicy {
        CompiledPrincipalPolicy(principal: principal, version: version, scope: scope, scopePermissions: scopePermissions,
                                rules: rules, params: params)
    }
}
