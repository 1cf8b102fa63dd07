import ArbiterPolicy
import CEL

/// PlanResources's walker (`PolicyWalk`, spec §2.12): the same levels, role expansion and
/// rows as CheckResources, with each row's condition kept as a residual; a chain's scopes are
/// folded by `ScopeSteps` into a `PolicyPlan`.
struct PlanWalk: PolicyWalk {
    typealias Rows = Step
    typealias Verdict = PolicyPlan

    let kind: String
    let conditions: PlanConditions
    /// Principal roles plus their role-policy ancestors in the resource scope, and as a mask.
    let allRoles: [String]
    let allRoleBits: UInt64
    let roleIndex: RoleIndex
    /// The derived roles of each level the principal's roles can activate, sorted by name.
    private var derivedRoles: [ObjectIdentifier: [CompiledDerivedRole]] = [:]
    /// The chain being walked: its scopes, its first OVERRIDE_PARENT scope with rows, and
    /// whether any resource or role-policy row matched.
    private var steps = ScopeSteps()
    private var scope = ""
    private var matchedAny = false

    init(kind: String, conditions: PlanConditions, allRoles: [String], allRoleBits: UInt64, roleIndex: RoleIndex) {
        self.kind = kind
        self.conditions = conditions
        self.allRoles = allRoles
        self.allRoleBits = allRoleBits
        self.roleIndex = roleIndex
    }

    // MARK: verdicts

    mutating func beginChain(principalPass: Bool) {
        steps = ScopeSteps()
        scope = ""
        matchedAny = false
    }

    /// Keeps the scope's conditions for `endChain`; the first OVERRIDE_PARENT scope with rows
    /// is the chain's matched scope.
    mutating func addScope(_ rows: Step, at level: ActionRun.Level) {
        steps.append(allow: rows.allow, deny: rows.deny)
        if scope.isEmpty && level.mode == .overrideParent && (rows.allow != nil || rows.deny != nil) {
            scope = level.scope
        }
    }

    func endChain() -> PolicyPlan {
        PolicyPlan(allow: steps.allow, deny: steps.deny, matched: matchedAny, scope: scope)
    }

    // MARK: rows (kept as residuals; none stops a scope)

    /// A scope's allow and deny conditions, each the rows' conditions or'ed.
    struct Step: ScopeRows {
        var allow: Residual?
        var deny: Residual?

        mutating func dropAllows() { allow = nil }

        /// An allow or deny known to hold for every resource.
        var decidesEverywhere: Bool { allow?.knownBool == true || deny?.knownBool == true }

        mutating func add(_ node: Residual, allows: Bool) {
            if allows {
                allow = PlanNodes.join(allow, node, and: false)
            } else {
                deny = PlanNodes.join(deny, node, and: false)
            }
        }
    }

    /// Derived roles are planned where a row asks about them (`derivedRoleState`).
    func reach(_ level: ActionRun.Level, index: Int) {}

    func rolePoliciesMayApply(_ level: ActionRun.Level, index: Int) -> Bool { level.hasRolePolicies }

    func resourceRuleIndices(_ policy: CompiledResourcePolicy, action: String, index: Int) -> [Int] {
        policy.ruleIndices(for: action)
    }

    mutating func principalRule(_ rule: CompiledRule, policy: CompiledPrincipalPolicy, action: String, rows step: inout Step) -> Bool {
        guard let allows = Self.allows(rule) else { return false }
        conditions.effectiveDerivedRoles = []
        step.add(conditions.condition(rule.condition, params: policy.params), allows: allows)
        return false
    }

    mutating func rolePolicyRule(_ rule: CompiledRolePolicy.Rule, policy: CompiledRolePolicy, action: String,
                                 rows step: inout Step) -> Bool {
        guard let condition = rule.condition else { return false }
        conditions.effectiveDerivedRoles = []
        step.add(PlanNodes.not(conditions.condition(condition, params: policy.params)), allows: false)
        matchedAny = true
        return false
    }

    mutating func rolePolicyGrantsNothing(_ policy: CompiledRolePolicy, rows step: inout Step) -> Bool {
        step.add(.value(.bool(true)), allows: false)
        matchedAny = true
        return false
    }

    mutating func resourceRule(_ rule: CompiledRule, params: CompiledParams, policy: CompiledResourcePolicy,
                               level: ActionRun.Level, action: String, rows step: inout Step) -> Bool {
        guard let allows = Self.allows(rule) else { return false }
        conditions.effectiveDerivedRoles = derivedRoleState(level: level, policy: policy)
        step.add(conditions.condition(rule.condition, params: params), allows: allows)
        matchedAny = true
        return false
    }

    mutating func derivedRoleRule(_ rule: CompiledRule, role: CompiledDerivedRole, params: CompiledParams,
                                  policy: CompiledResourcePolicy, level: ActionRun.Level, action: String,
                                  rows step: inout Step) -> Bool {
        guard let allows = Self.allows(rule) else { return false }
        conditions.effectiveDerivedRoles = derivedRoleState(level: level, policy: policy)
        let roleCondition = conditions.derivedRoleCondition(role)
        let node = rule.condition == nil ? roleCondition
            : PlanNodes.and([conditions.condition(rule.condition, params: params), roleCondition])
        step.add(node, allows: allows)
        matchedAny = true
        return false
    }

    /// Whether a rule's row allows (true) or denies (false); nil for a rule without effect,
    /// which only outputs and so plans nothing.
    private static func allows(_ rule: CompiledRule) -> Bool? {
        switch rule.effect {
        case .allow: return true
        case .deny: return false
        case .noEffect: return nil
        }
    }

    /// The derived roles of a level's policy that the principal's roles can activate, sorted by
    /// name (the order of `runtime.effectiveDerivedRoles`).
    private mutating func derivedRoleState(level: ActionRun.Level, policy: CompiledResourcePolicy) -> [CompiledDerivedRole] {
        let key = ObjectIdentifier(level)
        if let known = derivedRoles[key] { return known }
        let roles = policy.derivedRoles.filter { roleIndex.derivedRole($0, activatableBy: allRoles[...], bits: allRoleBits) }
            .sorted { $0.name < $1.name }
        derivedRoles[key] = roles
        return roles
    }
}
