import ArbiterPolicy
import CEL

/// PlanResources's outcome algebra for `PolicyWalk` (spec §2.12): the same levels, role
/// expansion and rows as CheckResources, with each row's condition kept as a residual and the
/// scopes folded by `ScopeSteps`.
struct PlanWalk: PolicyWalk {
    let kind: String
    let conditions: PlanConditions
    /// Principal roles plus their role-policy ancestors in the resource scope, and as a mask.
    let allRoles: [String]
    let allRoleBits: UInt64
    let roleIndex: RoleIndex
    /// The derived roles of each level the principal's roles can activate, sorted by name.
    private var derivedRoles: [ObjectIdentifier: [CompiledDerivedRole]] = [:]
    /// The current walk's scopes (one role's, or the principal pass's).
    private var steps = ScopeSteps()
    /// The first OVERRIDE_PARENT scope with rows, over the pass (all roles).
    private var scope = ""
    /// Whether any resource row matched in the pass.
    private var matchedAny = false

    init(kind: String, conditions: PlanConditions, allRoles: [String], allRoleBits: UInt64, roleIndex: RoleIndex) {
        self.kind = kind
        self.conditions = conditions
        self.allRoles = allRoles
        self.allRoleBits = allRoleBits
        self.roleIndex = roleIndex
    }

    // MARK: principal policies

    /// The principal pass: most specific scope first, until a scope decides unconditionally.
    mutating func principalPlan(action: String, levels: [ActionRun.Level]) -> PolicyPlan {
        steps = ScopeSteps()
        scope = ""
        _ = walk(action: action, roles: [], roleBits: 0, principalPass: true, levels: levels)
        return PolicyPlan(allow: steps.allow, deny: steps.deny, scope: scope)
    }

    /// Whether a scope with these rows ends the walk (an OVERRIDE_PARENT scope that allows or
    /// denies unconditionally); records the first OVERRIDE_PARENT scope with rows in `scope`.
    private static func decides(level: ActionRun.Level, allow: Residual?, deny: Residual?, scope: inout String) -> Bool {
        guard level.mode == .overrideParent, allow != nil || deny != nil else { return false }
        if scope.isEmpty { scope = level.scope }
        return allow?.knownBool == true || deny?.knownBool == true
    }

    // MARK: resource policies

    /// The resource pass (spec §2.12). For each principal role (with its role-policy
    /// ancestors) the scope chain is walked as CheckResources walks it (see `ScopeSteps`). As
    /// in Cerbos's planner, the roles' allows are alternatives while every role's conditional
    /// denies apply to all; a role denied unconditionally contributes nothing (another role may
    /// allow), and an unconditional allow without denies decides the action.
    mutating func resourcePlan(action: String, roles: [(names: [String], bits: UInt64)], levels: [ActionRun.Level])
        -> PolicyPlan {
        scope = ""
        matchedAny = false
        var allows: [Residual] = []
        var denies: [Residual] = []
        for roleSet in roles {
            steps = ScopeSteps()
            _ = walk(action: action, roles: roleSet.names[...], roleBits: roleSet.bits, principalPass: false, levels: levels)
            let roleDeny = steps.deny
            if roleDeny?.knownBool == true { continue }
            if let roleAllow = steps.allow {
                if roleDeny == nil, roleAllow.knownBool == true {
                    allows = [roleAllow]
                    denies = []
                    break
                }
                Self.appendDistinct(roleAllow, to: &allows)
            }
            if let roleDeny { Self.appendDistinct(roleDeny, to: &denies) }
        }
        guard matchedAny else { return PolicyPlan(scope: scope) }
        let allow = allows.isEmpty ? nil : allows.count == 1 ? allows[0] : PlanNodes.or(allows)
        let deny = denies.isEmpty ? nil : denies.count == 1 ? denies[0] : PlanNodes.or(denies)
        // Rows matched but nothing can allow: denied everywhere (not "no policy").
        return PolicyPlan(allow: allow ?? .value(.bool(false)), deny: deny, scope: scope)
    }

    /// Adds `node` unless an identical node is there already (roles that share rules, such as
    /// rules for `*`, give the same node once per role).
    private static func appendDistinct(_ node: Residual, to list: inout [Residual]) {
        if !list.contains(node) { list.append(node) }
    }

    // MARK: rows (kept as residuals; none stops a scope)

    /// A scope's allow and deny conditions, each the rows' conditions or'ed.
    struct Step {
        var allow: Residual?
        var deny: Residual?

        mutating func add(_ node: Residual, allows: Bool) {
            if allows {
                allow = PlanNodes.join(allow, node, and: false)
            } else {
                deny = PlanNodes.join(deny, node, and: false)
            }
        }
    }

    func newStep() -> Step { Step() }

    /// Derived roles are planned where a row asks about them (`derivedRoleState`).
    func reach(_ level: ActionRun.Level, index: Int) {}

    func mayHaveRolePolicies(_ level: ActionRun.Level, index: Int) -> Bool { true }

    /// Folds the scope into the walk's steps; see `decides`.
    mutating func scopeEnds(_ step: Step, at level: ActionRun.Level) -> Bool {
        steps.append(allow: step.allow, deny: step.deny, mode: level.mode)
        return Self.decides(level: level, allow: step.allow, deny: step.deny, scope: &scope)
    }

    mutating func principalRule(_ rule: CompiledRule, policy: CompiledPrincipalPolicy, action: String, step: inout Step) -> Bool {
        guard let allows = Self.allows(rule) else { return false }
        conditions.effectiveDerivedRoles = []
        step.add(conditions.condition(rule.condition, params: policy.params), allows: allows)
        return false
    }

    mutating func rolePolicyRule(_ rule: CompiledRolePolicy.Rule, policy: CompiledRolePolicy, action: String,
                                 step: inout Step) -> Bool {
        guard let condition = rule.condition else { return false }
        conditions.effectiveDerivedRoles = []
        step.add(PlanNodes.not(conditions.condition(condition, params: policy.params)), allows: false)
        matchedAny = true
        return false
    }

    mutating func rolePolicyGrantsNothing(_ policy: CompiledRolePolicy, step: inout Step) -> Bool {
        step.add(.value(.bool(true)), allows: false)
        matchedAny = true
        return false
    }

    mutating func resourceRule(_ rule: CompiledRule, params: CompiledParams, policy: CompiledResourcePolicy,
                               level: ActionRun.Level, action: String, step: inout Step) -> Bool {
        guard let allows = Self.allows(rule) else { return false }
        conditions.effectiveDerivedRoles = derivedRoleState(level: level, policy: policy)
        step.add(conditions.condition(rule.condition, params: params), allows: allows)
        matchedAny = true
        return false
    }

    mutating func derivedRoleRule(_ rule: CompiledRule, role: CompiledDerivedRole, params: CompiledParams,
                                  policy: CompiledResourcePolicy, level: ActionRun.Level, action: String,
                                  step: inout Step) -> Bool {
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
