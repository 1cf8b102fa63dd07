import ArbiterPolicy
import CEL

/// The scope-by-scope, role-by-role walk of PlanResources (spec §2.12), on the same levels,
/// role expansion and rule matching as CheckResources, with conditions kept as residuals.
struct PlanWalk {
    let kind: String
    let conditions: PlanConditions
    /// Principal roles plus their role-policy ancestors in the resource scope.
    let allRoles: [String]
    /// `runtime.effectiveDerivedRoles` and each derived role's condition, per level.
    private var derivedRoles: [ObjectIdentifier: (list: Residual, conditions: [String: Residual])] = [:]

    init(kind: String, conditions: PlanConditions, allRoles: [String]) {
        self.kind = kind
        self.conditions = conditions
        self.allRoles = allRoles
    }

    // MARK: principal policies

    /// The principal pass: most specific scope first, until a scope decides completely.
    mutating func principalPlan(action: String, levels: [ActionRun.Level]) -> PolicyPlan {
        var acc: PolicyPlan?
        var current: PolicyPlan?
        for level in levels {
            if let current, Self.isComplete(current, mode: level.mode) { break }
            guard let policy = level.principalPolicy else { continue }
            var plan = PolicyPlan(scope: level.scope)
            conditions.effectiveDerivedRoles = .value(.list([]))
            for rule in policy.rules where (rule.resource?.matches(kind) ?? true) && rule.actions.matches(action) {
                let node = conditions.condition(rule.condition, params: policy.params)
                switch rule.effect {
                case .allow: plan.add(node, allows: true)
                case .deny: plan.add(node, allows: false)
                case .noEffect: break
                }
            }
            current = plan
            currentMode = level.mode
            acc = PolicyPlan.merge(acc, plan)
        }
        return acc ?? PolicyPlan()
    }

    private var currentMode: ScopePermissionMode = .overrideParent

    /// Whether a scope's plan needs nothing from its parents: only denies, or anything at all
    /// in an OVERRIDE_PARENT (or the root) scope.
    private static func isComplete(_ plan: PolicyPlan, mode: ScopePermissionMode) -> Bool {
        if plan.allow.isEmpty && !plan.deny.isEmpty { return true }
        return !plan.isEmpty && (mode == .overrideParent || plan.scope.isEmpty)
    }

    // MARK: resource policies

    /// The resource pass (spec §2.12). For each principal role (with its role-policy
    /// ancestors) the scope chain is walked from the most specific scope until a scope decides
    /// unconditionally in OVERRIDE_PARENT mode; a role's allows are the alternatives of the
    /// scopes walked, an allow of a REQUIRE_PARENTAL_CONSENT scope counting only together with a
    /// parent's. A role denied unconditionally contributes nothing (another role may allow);
    /// an unconditional allow without denies decides the action.
    mutating func resourcePlan(action: String, roles: [[String]], levels: [ActionRun.Level]) -> PolicyPlan {
        var result = PolicyPlan()
        var allows: [Residual] = []
        var denies: [Residual] = []
        var matchedAny = false
        var scopeFound = false
        for roleSet in roles {
            var scopeAllows: [(node: Residual, needsParent: Bool)] = []
            var roleDeny: Residual?
            for level in levels {
                var scopeAllow: Residual?
                var scopeDeny: Residual?
                for row in rows(action: action, roles: roleSet, level: level) {
                    matchedAny = true
                    if row.allows {
                        scopeAllow = PlanNodes.join(scopeAllow, row.node, and: false)
                    } else {
                        scopeDeny = PlanNodes.join(scopeDeny, row.node, and: false)
                    }
                }
                if let scopeDeny { roleDeny = PlanNodes.join(roleDeny, scopeDeny, and: false) }
                if let scopeAllow {
                    scopeAllows.append((scopeAllow, level.mode == .requireParentalConsentForAllows))
                }
                guard level.mode == .overrideParent, scopeAllow != nil || scopeDeny != nil else { continue }
                if !scopeFound {
                    result.scope = level.scope
                    scopeFound = true
                }
                if scopeAllow?.knownBool == true || scopeDeny?.knownBool == true { break }
            }
            if roleDeny?.knownBool == true { continue }
            // Folded from the least specific scope: a consent-requiring allow joins its parents'
            // alternatives with `and`, and is dropped when no parent allows.
            var roleAllow: Residual?
            for (node, needsParent) in scopeAllows.reversed() {
                if needsParent {
                    roleAllow = roleAllow.map { PlanNodes.and([node, $0]) }
                } else {
                    roleAllow = roleAllow.map { PlanNodes.or([node, $0]) } ?? node
                }
            }
            if let roleAllow {
                if roleDeny == nil, roleAllow.knownBool == true {
                    allows = [roleAllow]
                    denies = []
                    break
                }
                Self.appendDistinct(roleAllow, to: &allows)
            }
            if let roleDeny { Self.appendDistinct(roleDeny, to: &denies) }
        }
        guard matchedAny else { return result }
        if allows.isEmpty && denies.isEmpty { denies = [.value(.bool(true))] }
        if !allows.isEmpty { result.add(allows.count == 1 ? allows[0] : PlanNodes.or(allows), allows: true) }
        if !denies.isEmpty { result.add(denies.count == 1 ? denies[0] : PlanNodes.or(denies), allows: false) }
        return result
    }

    /// Adds `node` unless an identical node is there already (roles that share rules, such as
    /// rules for `*`, give the same node once per role).
    private static func appendDistinct(_ node: Residual, to list: inout [Residual]) {
        let text = ResidualTranslator.operand(node).canonicalText
        if list.contains(where: { ResidualTranslator.operand($0).canonicalText == text }) { return }
        list.append(node)
    }

    /// One row of a scope: its residual condition and effect.
    struct Row {
        let node: Residual
        let allows: Bool
    }

    /// The rows of one scope for one role: the role policies' synthetic denies first, then the
    /// resource policy's rules for the role and for the derived roles it can activate.
    private mutating func rows(action: String, roles: [String], level: ActionRun.Level) -> [Row] {
        var rows: [Row] = []
        if level.hasRolePolicies {
            for role in roles {
                guard let policy = level.rolePolicy(role) else { continue }
                var granted = false
                conditions.effectiveDerivedRoles = .value(.list([]))
                for rule in policy.rules where rule.resource.matches(kind) && rule.allowActions.matches(action) {
                    granted = true
                    guard let condition = rule.condition else { continue }
                    let node = conditions.condition(condition, params: policy.params)
                    rows.append(Row(node: PlanNodes.not(node), allows: false))
                }
                if !granted { rows.append(Row(node: .value(.bool(true)), allows: false)) }
            }
        }
        guard let policy = level.resourcePolicy else { return rows }
        let derived = derivedRoleState(level: level, policy: policy)
        for index in policy.ruleIndices(for: action) {
            let rule = policy.rules[index]
            let effectAllows: Bool
            switch rule.effect {
            case .allow: effectAllows = true
            case .deny: effectAllows = false
            case .noEffect: continue
            }
            if rule.roles.matchesAny(of: roles) {
                conditions.effectiveDerivedRoles = derived.list
                rows.append(Row(node: conditions.condition(rule.condition, params: policy.params), allows: effectAllows))
            }
            for role in rule.derivedRoles where role.isActivatable(by: roles) {
                conditions.effectiveDerivedRoles = derived.list
                let roleCondition = derived.conditions[role.name] ?? .value(.bool(false))
                let node: Residual
                if rule.condition == nil {
                    node = roleCondition
                } else {
                    node = PlanNodes.and([conditions.condition(rule.condition, params: policy.params), roleCondition])
                }
                rows.append(Row(node: node, allows: effectAllows))
            }
        }
        return rows
    }

    /// The derived roles of a level's policy that the principal's roles can activate, with
    /// their residual conditions (seen with an empty `runtime.effectiveDerivedRoles`), and the
    /// residual `runtime.effectiveDerivedRoles` list for the level's rules.
    private mutating func derivedRoleState(level: ActionRun.Level, policy: CompiledResourcePolicy)
        -> (list: Residual, conditions: [String: Residual]) {
        let key = ObjectIdentifier(level)
        if let known = derivedRoles[key] { return known }
        var named: [(name: String, condition: Residual)] = []
        conditions.effectiveDerivedRoles = .value(.list([]))
        for role in policy.derivedRoles where role.isActivatable(by: allRoles) {
            named.append((role.name, conditions.condition(role.condition, params: role.params)))
        }
        named.sort { $0.name < $1.name }
        let state = (list: conditions.derivedRolesList(named),
                     conditions: Dictionary(named.map { ($0.name, $0.condition) }, uniquingKeysWith: { a, _ in a }))
        derivedRoles[key] = state
        return state
    }
}
