import ArbiterPolicy

// How a request is decided (spec §2.3–§2.6, §2.12), for CheckResources and PlanResources alike.
// Read this file top to bottom: `decide` → `resourcePass` → `walk` → the rows of one scope.
//
// Before the walk the request has been looked up (`RequestPlan`): effective versions and scopes,
// the sanitised kind, and both scope chains resolved into `ActionRun.Level`s, most specific
// first, each with the policies of its scope. Then, for each action:
//
// 1. The principal pass walks the principal chain once (principal rows carry role `*`).
// 2. Unless it decided, the resource pass walks the resource chain once per principal role
//    (with the role's role-policy ancestors), in request order; any role's ALLOW wins.
// 3. The principal pass decides before the resource pass.
//
// Within one walk each scope's rows are, in order: the principal policy's rules (principal
// pass); or the role policies' synthetic DENY rows, then the resource policy's rules matched
// directly or through derived roles (resource pass). A scope's DENY beats its ALLOW; an
// OVERRIDE_PARENT scope's ALLOW is final; a REQUIRE_PARENTAL_CONSENT scope's ALLOWs decide
// nothing. A scope that decides for every resource ends the walk; otherwise the parent scope
// decides what it left open.
//
// Every rule above is written once, here. What a verdict is differs: CheckResources evaluates
// each row and its verdict is an effect (`Engine.Decision`, stopping at the first decisive
// row); PlanResources keeps each row's condition as a residual and its verdict is a filter
// (`PolicyPlan`). The walkers `ActionRun` and `PlanWalk` supply the rows' outcomes and how a
// scope's rows become a verdict; their caches and scratch space live with them, not here.
// In a release build the walk is specialised for each walker: no dynamic dispatch, no closures.

/// What a walk concluded, as one of the two outcome algebras: an effect for CheckResources
/// (`Engine.Decision`), a residual filter for PlanResources (`PolicyPlan`).
protocol WalkVerdict {
    /// No row of the walk applied (NO_MATCH).
    static var noMatch: Self { get }
    /// Whether this is an ALLOW for every resource: no other role can change it.
    var allowsEverywhere: Bool { get }
    /// Whether this decides for every resource, so that a later pass cannot change it.
    var decidesEverywhere: Bool { get }
    /// Adds the verdict of the next principal role of the resource pass (`resourcePass`).
    mutating func addRole(_ role: Self)
    /// This principal-pass verdict where it decides, `resource` elsewhere (spec §2.3, §2.12).
    func before(resource: Self) -> Self
}

/// What the rows of one scope produced.
protocol ScopeRows {
    /// No row yet.
    init()
    /// Forgets the scope's ALLOWs: a REQUIRE_PARENTAL_CONSENT scope's allows decide nothing.
    mutating func dropAllows()
    /// Whether the scope decides for every resource (an ALLOW or DENY that always holds).
    var decidesEverywhere: Bool { get }
}

/// A walker: the outcome of each row, and how a chain's scopes become a verdict. Conformers
/// are `ActionRun` (CheckResources) and `PlanWalk` (PlanResources).
protocol PolicyWalk {
    associatedtype Rows: ScopeRows
    associatedtype Verdict: WalkVerdict
    /// The resource kind requested (sanitised).
    var kind: String { get }
    /// The engine's role masks.
    var roleIndex: RoleIndex { get }

    /// The resource pass reaches `level` (at `index` of its chain) for a role.
    mutating func reach(_ level: ActionRun.Level, index: Int)
    /// Whether some role the request walks may have a role policy in `level` (false only when
    /// none has).
    mutating func rolePoliciesMayApply(_ level: ActionRun.Level, index: Int) -> Bool
    /// The indices of the rules of `level`'s resource policy that cover `action`, in policy order.
    mutating func resourceRuleIndices(_ policy: CompiledResourcePolicy, action: String, index: Int) -> [Int]

    /// A principal-policy rule covering the action. True stops the scope's rows.
    mutating func principalRule(_ rule: CompiledRule, policy: CompiledPrincipalPolicy, action: String,
                                rows: inout Rows) -> Bool
    /// A role-policy rule granting the action: the row `DENY if none([condition])`. True stops
    /// the scope's rows.
    mutating func rolePolicyRule(_ rule: CompiledRolePolicy.Rule, policy: CompiledRolePolicy, action: String,
                                 rows: inout Rows) -> Bool
    /// A role policy that grants the action nowhere: an unconditional DENY. True stops the
    /// scope's rows.
    mutating func rolePolicyGrantsNothing(_ policy: CompiledRolePolicy, rows: inout Rows) -> Bool
    /// A resource-policy rule the role matches directly. True stops the scope's rows.
    mutating func resourceRule(_ rule: CompiledRule, params: CompiledParams, policy: CompiledResourcePolicy,
                               level: ActionRun.Level, action: String, rows: inout Rows) -> Bool
    /// A resource-policy rule reached through `role`, a derived role of the rule the role can
    /// activate. True stops the scope's rows.
    mutating func derivedRoleRule(_ rule: CompiledRule, role: CompiledDerivedRole, params: CompiledParams,
                                  policy: CompiledResourcePolicy, level: ActionRun.Level, action: String,
                                  rows: inout Rows) -> Bool

    /// A walk of one chain begins (the principal pass, or one role of the resource pass).
    mutating func beginChain(principalPass: Bool)
    /// The next scope's rows, after the scope-permission rule, most specific scope first.
    mutating func addScope(_ rows: Rows, at level: ActionRun.Level)
    /// The chain's verdict: the first scope's where it decides, else its parent's, and so on.
    mutating func endChain() -> Verdict
}

extension PolicyWalk {
    /// Decides one action (spec §2.3, §2.12): the principal pass decides before the resource
    /// pass, which is walked only where the principal pass left the action open.
    @inline(__always)
    mutating func decide(action: String, roles: RequestPlan.ExpandedRoles, principalLevels: [ActionRun.Level],
                         resourceLevels: [ActionRun.Level]) -> Verdict {
        // An empty principal chain cannot match: NO_MATCH without walking it.
        let principal = principalLevels.isEmpty ? Verdict.noMatch
            : walk(action: action, roles: [], roleBits: 0, principalPass: true, levels: principalLevels)
        if principal.decidesEverywhere { return principal }
        let resource = resourcePass(action: action, roles: roles, levels: resourceLevels)
        return principal.before(resource: resource)
    }

    /// The resource pass: the chain walked once per principal role, in request order, each
    /// role with its role-policy ancestors in the resource scope. Any role's ALLOW wins and
    /// ends the pass; otherwise the roles' verdicts are combined by `WalkVerdict.addRole`.
    @inline(__always)
    mutating func resourcePass(action: String, roles: RequestPlan.ExpandedRoles, levels: [ActionRun.Level]) -> Verdict {
        // Read once: each is a property of a class instance.
        let principalRoles = roles.roles, ancestry = roles.each, bits = roles.eachBits
        var pass = Verdict.noMatch
        for i in principalRoles.indices {
            // Without role parents in the scope, a slice of the request's roles stands for the
            // role: no per-role array.
            let verdict = walk(action: action, roles: ancestry?[i][...] ?? principalRoles[i...i], roleBits: bits[i],
                               principalPass: false, levels: levels)
            pass.addRole(verdict)
            if verdict.allowsEverywhere { break }
        }
        return pass
    }

    /// Walks one chain for one action: the principal pass's, or the resource pass's for one
    /// role (`roles`: the role and its role-policy ancestors, `roleBits` the same as a
    /// `RoleIndex` mask; unused by the principal pass, whose rows carry role `*`). Scopes are
    /// walked most specific first, until one decides for every resource (spec §2.4).
    @inline(__always)
    mutating func walk(action: String, roles: ArraySlice<String>, roleBits: UInt64, principalPass: Bool,
                       levels: [ActionRun.Level]) -> Verdict {
        beginChain(principalPass: principalPass)
        for index in levels.indices {
            let level = levels[index]
            var scopeRows = Rows()
            if principalPass {
                if let policy = level.principalPolicy {
                    principalRows(action: action, policy: policy, rows: &scopeRows)
                }
            } else {
                reach(level, index: index)
                // Role policies' denies come first; one that holds stops the scope's rows.
                var stopped = false
                if rolePoliciesMayApply(level, index: index) {
                    stopped = rolePolicyRows(action: action, roles: roles, level: level, rows: &scopeRows)
                }
                if !stopped, let policy = level.resourcePolicy {
                    resourceRows(action: action, roles: roles, roleBits: roleBits, policy: policy, level: level,
                                 indices: resourceRuleIndices(policy, action: action, index: index), rows: &scopeRows)
                }
            }
            // Within the scope a DENY beats an ALLOW (the rows record both). A
            // REQUIRE_PARENTAL_CONSENT scope's allows decide nothing: the policy-set builder
            // already rewrote its conditional allows to `DENY if none([condition])`.
            if level.mode != .overrideParent { scopeRows.dropAllows() }
            addScope(scopeRows, at: level)
            if scopeRows.decidesEverywhere { break }
        }
        return endChain()
    }

    /// The principal policy's rules covering the resource kind and the action, in policy order.
    @inline(__always)
    private mutating func principalRows(action: String, policy: CompiledPrincipalPolicy, rows: inout Rows) {
        for rule in policy.rules where rule.coversPrincipalRequest(kind: kind, action: action) {
            if principalRule(rule, policy: policy, action: action, rows: &rows) { return }
        }
    }

    /// The role policies' synthetic DENY rows (spec §2.5): for each role with a role policy in
    /// the scope, a rule granting the action with a condition is `DENY if none([condition])`,
    /// and a policy granting the action nowhere is an unconditional DENY. True when one stopped
    /// the scope's rows.
    @inline(__always)
    private mutating func rolePolicyRows(action: String, roles: ArraySlice<String>, level: ActionRun.Level,
                                         rows: inout Rows) -> Bool {
        for role in roles {
            guard let policy = level.rolePolicy(role) else { continue }
            var granted = false
            for rule in policy.rules where rule.grants(kind: kind, action: action) {
                granted = true
                if rolePolicyRule(rule, policy: policy, action: action, rows: &rows) { return true }
            }
            if !granted && rolePolicyGrantsNothing(policy, rows: &rows) { return true }
        }
        return false
    }

    /// The resource policy's rules for the action, in policy order (spec §2.6): a rule the role
    /// matches directly, then once per derived role of the rule that the role can activate
    /// (the row then carries the derived role's condition as well as the rule's).
    @inline(__always)
    private mutating func resourceRows(action: String, roles: ArraySlice<String>, roleBits: UInt64,
                                       policy: CompiledResourcePolicy, level: ActionRun.Level, indices: [Int],
                                       rows: inout Rows) {
        guard !indices.isEmpty else { return }
        // Read once: each read of a policy property from this module is an accessor call.
        let rules = policy.rules, params = policy.params
        for index in indices {
            let rule = rules[index]
            if roleIndex.rule(rule, matches: roles, bits: roleBits) {
                if resourceRule(rule, params: params, policy: policy, level: level, action: action, rows: &rows) { return }
            }
            for role in rule.derivedRoles where roleIndex.derivedRole(role, activatableBy: roles, bits: roleBits) {
                if derivedRoleRule(rule, role: role, params: params, policy: policy, level: level, action: action,
                                   rows: &rows) { return }
            }
        }
    }
}
