/// A role policy: an exhaustive allow-list for one custom role in one scope (spec §1.4, §2.5).
/// A class so the engine's lookups share one reference instead of copying every field. Every
/// property is a `let`: the policy-set builder registers a policy by making a copy whose rules
/// and parameters carry their ids (`registered(rules:params:)`), so a published policy never
/// changes.
public final class CompiledRolePolicy: Sendable {
    /// One `rules[]` entry.
    public struct Rule: Sendable {
        /// The resource kind glob (matched on sanitised names).
        public let resource: GlobPattern
        /// Allowed actions.
        public let allowActions: ActionMatcher
        /// Optional condition; when false the actions are denied.
        public let condition: CompiledCondition?
        /// Optional rule name (role rules have no default).
        public let name: String
        /// `ruleActivated` output.
        public let ruleActivated: CompiledExpression?
        /// `conditionNotMet` output.
        public let conditionNotMet: CompiledExpression?
        /// Dense index within the policy set, for the per-request condition cache; -1 until a
        /// policy-set builder registers the rule.
        public let id: Int

        /// Creates a rule; `id` is assigned by the policy-set builder.
        public init(resource: String, allowActions: [String], condition: CompiledCondition?, name: String = "",
                    ruleActivated: CompiledExpression? = nil, conditionNotMet: CompiledExpression? = nil) {
            self.resource = GlobPattern(GlobPattern.isGlob(resource) ? resource : PolicyNamer.sanitized(resource))
            self.allowActions = ActionMatcher(allowActions)
            self.condition = condition
            self.name = name
            self.ruleActivated = ruleActivated
            self.conditionNotMet = conditionNotMet
            id = -1
        }

        private init(copying rule: Rule, id: Int) {
            resource = rule.resource
            allowActions = rule.allowActions
            condition = rule.condition
            name = rule.name
            ruleActivated = rule.ruleActivated
            conditionNotMet = rule.conditionNotMet
            self.id = id
        }

        /// This rule under `id`.
        func registered(id: Int) -> Rule { Rule(copying: self, id: id) }
    }

    /// The custom role.
    public let role: String
    /// The policy version (`default` when unset).
    public let version: String
    /// The scope.
    public let scope: String
    /// `role.<role>.v<version>[/<scope>]`.
    public let key: String
    /// Roles this role inherits from, resolved within the same scope.
    public let parentRoles: [String]
    /// Rules in policy order.
    public let rules: [Rule]
    /// The policy's variables and constants.
    public let params: CompiledParams

    /// Creates an unregistered role policy.
    public init(role: String, version: String, scope: String, parentRoles: [String], rules: [Rule],
                params: CompiledParams) {
        self.role = role
        self.version = version.isEmpty ? "default" : version
        self.scope = scope
        key = PolicyNamer.rolePolicyKey(role: role, version: self.version, scope: scope)
        self.parentRoles = parentRoles
        self.rules = rules
        self.params = params
    }

    /// This policy with its rules and parameters replaced by their registered copies.
    func registered(rules: [Rule], params: CompiledParams) -> CompiledRolePolicy {
        CompiledRolePolicy(role: role, version: version, scope: scope, parentRoles: parentRoles, rules: rules, params: params)
    }

    /// Whether some rule covers the (sanitised) resource kind.
    public func covers(kind: String) -> Bool { rules.contains { $0.resource.matches(kind) } }
}
