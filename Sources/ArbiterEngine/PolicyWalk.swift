import ArbiterPolicy

/// How one action is decided for one pass (spec §2.3–§2.6, §2.12), written once for
/// CheckResources and PlanResources. The request has been looked up and its scope chain
/// resolved into `ActionRun.Level`s (most specific first); this walks them:
///
/// 1. Principal pass: at each level, the principal policy's rules that cover the resource kind
///    and the action, in policy order.
/// 2. Resource pass, for one principal role (with its role-policy ancestors):
///    - first, each role policy of the role in the scope adds synthetic DENY rows: a rule that
///      grants the action with a condition is `DENY if none([condition])`; a policy granting
///      the action nowhere is an unconditional DENY;
///    - unless those already stopped the scope, the resource policy's rules for the action, in
///      policy order: a rule the role matches directly, then once per derived role of the rule
///      that the role can activate (the rule's condition and the derived role's).
/// 3. After each level the conformer folds the scope's rows (`scopeEnds`) by the scope rules of
///    spec §2.4: within a scope a DENY beats an ALLOW; an OVERRIDE_PARENT scope's ALLOW is
///    final; a REQUIRE_PARENTAL_CONSENT scope's allows decide nothing (the policy-set builder
///    already rewrote its conditional allows to denies). A scope that decides for certain ends
///    the walk; otherwise it goes on to the parent scope. A walk no scope ended is NO_MATCH for
///    CheckResources, and the residual of every scope reached for PlanResources.
///
/// Conformers are the two outcome algebras: `ActionRun` evaluates each row and stops at the
/// first decisive one (effects with early exit); `PlanWalk` keeps each row's condition as a
/// residual and folds constants (filter trees). Caches and scratch space live in them, not here.
/// Within a release build the walk is specialised for each, so it costs no dynamic dispatch.
protocol PolicyWalk {
    /// What one scope's rows produced.
    associatedtype Step
    /// The resource kind requested (sanitised).
    var kind: String { get }
    /// The engine's role masks.
    var roleIndex: RoleIndex { get }

    /// An empty step, at the start of a scope.
    func newStep() -> Step
    /// The resource pass reaches `level` (at `index` of its chain) for this role.
    mutating func reach(_ level: ActionRun.Level, index: Int)
    /// Whether some role the request walks may have a role policy in `level` (a cheap probe;
    /// true when unsure).
    mutating func mayHaveRolePolicies(_ level: ActionRun.Level, index: Int) -> Bool

    /// A principal-policy rule covering the action. True stops the scope's rows.
    mutating func principalRule(_ rule: CompiledRule, policy: CompiledPrincipalPolicy, action: String, step: inout Step) -> Bool
    /// A role-policy rule granting the action: the row `DENY if none([condition])`. True stops
    /// the scope's rows.
    mutating func rolePolicyRule(_ rule: CompiledRolePolicy.Rule, policy: CompiledRolePolicy, action: String,
                                 step: inout Step) -> Bool
    /// A role policy that grants the action nowhere: an unconditional DENY. True stops the
    /// scope's rows.
    mutating func rolePolicyGrantsNothing(_ policy: CompiledRolePolicy, step: inout Step) -> Bool
    /// A resource-policy rule the role matches directly. True stops the scope's rows.
    mutating func resourceRule(_ rule: CompiledRule, params: CompiledParams, policy: CompiledResourcePolicy,
                               level: ActionRun.Level, action: String, step: inout Step) -> Bool
    /// A resource-policy rule reached through `role`, a derived role of the rule the role can
    /// activate. True stops the scope's rows.
    mutating func derivedRoleRule(_ rule: CompiledRule, role: CompiledDerivedRole, params: CompiledParams,
                                  policy: CompiledResourcePolicy, level: ActionRun.Level, action: String,
                                  step: inout Step) -> Bool
    /// Whether the scope's rows end the walk (step 3 above); records what it needs of them.
    mutating func scopeEnds(_ step: Step, at level: ActionRun.Level) -> Bool
}

extension PolicyWalk {
    /// Walks `levels` for one action and one pass; returns the level that ended the walk with
    /// its step, nil when none did. `roles` is one principal role followed by its role-policy
    /// ancestors in the resource scope, `roleBits` the same as a `RoleIndex` mask (both unused
    /// by the principal pass, whose rows carry role `*`). `rows`, when given, holds per level
    /// the resource policy's rule indices for `action` (`RequestPlan.rows(for:)`).
    @inline(__always)
    mutating func walk(action: String, roles: ArraySlice<String>, roleBits: UInt64, principalPass: Bool,
                       levels: [ActionRun.Level], rows: [[Int]]? = nil) -> (level: ActionRun.Level, step: Step)? {
        for index in levels.indices {
            let level = levels[index]
            var step = newStep()
            if principalPass {
                if let policy = level.principalPolicy {
                    for rule in policy.rules where rule.coversPrincipalRequest(kind: kind, action: action) {
                        if principalRule(rule, policy: policy, action: action, step: &step) { break }
                    }
                }
            } else {
                reach(level, index: index)
                var stopped = false
                if level.hasRolePolicies && mayHaveRolePolicies(level, index: index) {
                    stopped = rolePolicyRows(action: action, roles: roles, level: level, step: &step)
                }
                if !stopped, let policy = level.resourcePolicy {
                    resourceRows(action: action, roles: roles, roleBits: roleBits, policy: policy, level: level,
                                 indices: rows?[index] ?? policy.ruleIndices(for: action), step: &step)
                }
            }
            if scopeEnds(step, at: level) { return (level, step) }
        }
        return nil
    }

    /// The role policies' synthetic DENY rows (spec §2.5); true when one stopped the scope.
    @inline(__always)
    private mutating func rolePolicyRows(action: String, roles: ArraySlice<String>, level: ActionRun.Level,
                                         step: inout Step) -> Bool {
        for role in roles {
            guard let policy = level.rolePolicy(role) else { continue }
            var granted = false
            for rule in policy.rules where rule.grants(kind: kind, action: action) {
                granted = true
                if rolePolicyRule(rule, policy: policy, action: action, step: &step) { return true }
            }
            if !granted && rolePolicyGrantsNothing(policy, step: &step) { return true }
        }
        return false
    }

    /// The resource policy's rows for the role, directly and through derived roles (spec §2.6).
    @inline(__always)
    private mutating func resourceRows(action: String, roles: ArraySlice<String>, roleBits: UInt64,
                                       policy: CompiledResourcePolicy, level: ActionRun.Level, indices: [Int],
                                       step: inout Step) {
        guard !indices.isEmpty else { return }
        // Read once: each read of a policy property from this module is an accessor call.
        let rules = policy.rules, params = policy.params
        for index in indices {
            let rule = rules[index]
            if roleIndex.rule(rule, matches: roles, bits: roleBits) {
                if resourceRule(rule, params: params, policy: policy, level: level, action: action, step: &step) { return }
            }
            for role in rule.derivedRoles where roleIndex.derivedRole(role, activatableBy: roles, bits: roleBits) {
                if derivedRoleRule(rule, role: role, params: params, policy: policy, level: level, action: action,
                                   step: &step) { return }
            }
        }
    }
}
