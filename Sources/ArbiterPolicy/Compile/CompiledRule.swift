/// One rule of a resource or principal policy, ready for the engine (spec §2.3).
///
/// Under REQUIRE_PARENTAL_CONSENT_FOR_ALLOWS the policy-set builder rewrites a conditional ALLOW
/// to `DENY if none([cond])`, keeping its outputs as Cerbos does (spec §2.4).
/// A class so the engine's lookups share one reference instead of copying every field. Every
/// property is a `let`: the policy-set builder gives a rule its id by making a registered copy
/// (`registered(id:derivedRoles:)`), so a published rule never changes.
public final class CompiledRule: Sendable {
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
    /// Dense index within the policy set, for the per-request condition cache; -1 until a
    /// policy-set builder registers the rule.
    public let id: Int

    /// Creates an unregistered rule; the policy-set builder makes the copy with an `id`.
    public convenience init(name: String, outputSource: String, actions: ActionMatcher, roles: RoleMatcher,
                            derivedRoles: [CompiledDerivedRole] = [], resource: GlobPattern? = nil, effect: RuleEffect,
                            condition: CompiledCondition?, ruleActivated: CompiledExpression? = nil,
                            conditionNotMet: CompiledExpression? = nil) {
        self.init(name: name, outputSource: outputSource, actions: actions, roles: roles, derivedRoles: derivedRoles,
                  resource: resource, effect: effect, condition: condition, ruleActivated: ruleActivated,
                  conditionNotMet: conditionNotMet, id: -1)
    }

    private init(name: String, outputSource: String, actions: ActionMatcher, roles: RoleMatcher,
                 derivedRoles: [CompiledDerivedRole], resource: GlobPattern?, effect: RuleEffect,
                 condition: CompiledCondition?, ruleActivated: CompiledExpression?,
                 conditionNotMet: CompiledExpression?, id: Int) {
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
        self.id = id
    }

    /// This rule under `id`, referring to `derivedRoles` (the registered copies of its own).
    func registered(id: Int, derivedRoles: [CompiledDerivedRole]) -> CompiledRule {
        CompiledRule(name: name, outputSource: outputSource, actions: actions, roles: roles, derivedRoles: derivedRoles,
                     resource: resource, effect: effect, condition: condition, ruleActivated: ruleActivated,
                     conditionNotMet: conditionNotMet, id: id)
    }
}

extension CompiledRule {
    /// The REQUIRE_PARENTAL_CONSENT_FOR_ALLOWS rewrite: a conditional ALLOW becomes
    /// `DENY if none([cond])`, keeping its outputs (the Cerbos quirk of spec §2.4).
    func rewrittenForParentalConsent() -> CompiledRule {
        guard effect == .allow, let condition else { return self }
        return CompiledRule(name: name, outputSource: outputSource, actions: actions, roles: roles, derivedRoles: derivedRoles,
                            resource: resource, effect: .deny, condition: .none([condition]), ruleActivated: ruleActivated,
                            conditionNotMet: conditionNotMet, id: id)
    }
}
