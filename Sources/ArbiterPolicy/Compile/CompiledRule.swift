/// One rule of a resource or principal policy, ready for the engine (spec §2.3).
///
/// Under REQUIRE_PARENTAL_CONSENT_FOR_ALLOWS the policy-set builder rewrites a conditional ALLOW
/// to `DENY if none([cond])`, keeping its outputs as Cerbos does (spec §2.4).
/// A class so the engine's lookups share one reference instead of copying every field; ids are
/// assigned once by `PolicySetBuilder` before the set is published, never after, which is why
/// the runtime exclusivity checks on its `var`s are switched off.
public final class CompiledRule: @unchecked Sendable {
    /// The rule name (given or defaulted).
    public let name: String
    /// `<policy key>#<rule name>`, the output `src`.
    public let outputSource: String
    /// Actions the rule covers.
    public let actions: ActionMatcher
    /// Static roles (resource policies); principal rules match any role.
    public let roles: RoleMatcher
    /// Derived roles referenced by the rule, resolved through the policy's imports.
    public let derivedRoles: [CompiledDerivedRole]
    /// Resource kinds the rule covers (principal policies), matched on sanitised names.
    public let resource: GlobPattern?
    /// The effect after any scope-permission rewrite.
    public let effect: RuleEffect
    /// The condition after any rewrite; nil means always true.
    public let condition: CompiledCondition?
    /// `output.when.ruleActivated` (or the deprecated `output.expr`).
    public let ruleActivated: CompiledExpression?
    /// `output.when.conditionNotMet`.
    public let conditionNotMet: CompiledExpression?
    // Private storage behind getters, so the engine's reads skip the dynamic exclusivity
    // check: see `CompiledResourcePolicy`.
    @exclusivity(unchecked) private var _id: Int
    /// Dense index within the policy set, for the per-request condition cache.
    public internal(set) var id: Int {
        get { _id }
        set { _id = newValue }
    }

    /// Creates a rule; `id` is assigned by the policy-set builder.
    public init(name: String, outputSource: String, actions: ActionMatcher, roles: RoleMatcher,
                derivedRoles: [CompiledDerivedRole] = [], resource: GlobPattern? = nil, effect: RuleEffect,
                condition: CompiledCondition?, ruleActivated: CompiledExpression? = nil,
                conditionNotMet: CompiledExpression? = nil) {
        self.name = name
        self.outputSource = outputSource
        self.actions = actions
        self.roles = roles
        self.derivedRoles = derivedRoles
        self.resource = resource
        self.effect = effect
        self.condition = condition
        self.ruleActivated = ruleActivated
        self.conditionNotMet = conditionNotMet
        _id = -1
    }
}

extension CompiledRule {
    /// The REQUIRE_PARENTAL_CONSENT_FOR_ALLOWS rewrite: a conditional ALLOW becomes
    /// `DENY if none([cond])`, keeping its outputs (the Cerbos quirk of spec §2.4).
    func rewrittenForParentalConsent() -> CompiledRule {
        guard effect == .allow, let condition else { return self }
        return CompiledRule(name: name, outputSource: outputSource, actions: actions, roles: roles, derivedRoles: derivedRoles,
                            resource: resource, effect: .deny, condition: .none([condition]), ruleActivated: ruleActivated,
                            conditionNotMet: conditionNotMet)
    }
}
