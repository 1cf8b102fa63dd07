/// A role policy: an exhaustive allow-list for one custom role in one scope (spec §1.4, §2.5).
/// A class so the engine's lookups share one reference instead of copying every field; ids are
/// assigned once by `PolicySetBuilder` before the set is published, never after, which is why
/// the runtime exclusivity checks on its `var`s are switched off.
public final class CompiledRolePolicy: @unchecked Sendable {
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
        /// Dense index within the policy set, for the per-request condition cache.
        public internal(set) var id: Int

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
    // Private storage behind getters, so the engine's reads skip the dynamic exclusivity
    // check: see `CompiledResourcePolicy`.
    @exclusivity(unchecked) private var _rules: [Rule]
    /// Rules in policy order.
    public internal(set) var rules: [Rule] {
        get { _rules }
        set { _rules = newValue }
    }
    @exclusivity(unchecked) private var _params: CompiledParams
    /// The policy's variables and constants.
    public internal(set) var params: CompiledParams {
        get { _params }
        set { _params = newValue }
    }

    /// Creates a role policy.
    public init(role: String, version: String, scope: String, parentRoles: [String], rules: [Rule],
                params: CompiledParams) {
        self.role = role
        self.version = version.isEmpty ? "default" : version
        self.scope = scope
        key = PolicyNamer.rolePolicyKey(role: role, version: self.version, scope: scope)
        self.parentRoles = parentRoles
        _rules = rules
        _params = params
    }

    /// Whether some rule covers the (sanitised) resource kind.
    public func covers(kind: String) -> Bool { rules.contains { $0.resource.matches(kind) } }
}
