import ArbiterPolicy
import CEL

/// The scope-by-scope, role-by-role walk of PlanResources (spec §2.12), on the same levels,
/// role expansion and rule matching as CheckResources, with conditions kept as residuals.
struct PlanWalk {
    let kind: String
    let conditions: PlanConditions
    /// Principal roles plus their role-policy ancestors in the resource scope, and as a mask.
    let allRoles: [String]
    let allRoleBits: UInt64
    let roleIndex: RoleIndex
    /// The derived roles of each level the principal's roles can activate, sorted by name.
    private var derivedRoles: [ObjectIdentifier: [CompiledDerivedRole]] = [:]

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
        var steps = ScopeSteps()
        var scope = ""
        for level in levels {
            guard let policy = level.principalPolicy else { continue }
            var allow: Residual?
            var deny: Residual?
            conditions.effectiveDerivedRoles = []
            for rule in policy.rules where rule.coversPrincipalRequest(kind: kind, action: action) {
                let node = conditions.condition(rule.condition, params: policy.params)
                switch rule.effect {
                case .allow: allow = PlanNodes.join(allow, node, and: false)
                case .deny: deny = PlanNodes.join(deny, node, and: false)
                case .noEffect: break
                }
            }
            steps.append(allow: allow, deny: deny, mode: level.mode)
            if Self.decides(level: level, allow: allow, deny: deny, scope: &scope) { break }
        }
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
        var scope = ""
        var allows: [Residual] = []
        var denies: [Residual] = []
        var matchedAny = false
        for roleSet in roles {
            var steps = ScopeSteps()
            for level in levels {
                var allow: Residual?
                var deny: Residual?
                for row in rows(action: action, roles: roleSet.names[...], bits: roleSet.bits, level: level) {
                    matchedAny = true
                    if row.allows {
                        allow = PlanNodes.join(allow, row.node, and: false)
                    } else {
                        deny = PlanNodes.join(deny, row.node, and: false)
                    }
                }
                steps.append(allow: allow, deny: deny, mode: level.mode)
                if Self.decides(level: level, allow: allow, deny: deny, scope: &scope) { break }
            }
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

    /// One row of a scope: its residual condition and effect.
    struct Row {
        let node: Residual
        let allows: Bool
    }

    /// The rows of one scope for one role: the role policies' synthetic denies first, then the
    /// resource policy's rules for the role and for the derived roles it can activate.
    private mutating func rows(action: String, roles: ArraySlice<String>, bits: UInt64, level: ActionRun.Level) -> [Row] {
        var rows: [Row] = []
        if level.hasRolePolicies {
            for role in roles {
                guard let policy = level.rolePolicy(role) else { continue }
                var granted = false
                conditions.effectiveDerivedRoles = []
                for rule in policy.rules where rule.grants(kind: kind, action: action) {
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
            if roleIndex.rule(rule, matches: roles, bits: bits) {
                conditions.effectiveDerivedRoles = derived
                rows.append(Row(node: conditions.condition(rule.condition, params: policy.params), allows: effectAllows))
            }
            for role in rule.derivedRoles where roleIndex.derivedRole(role, activatableBy: roles, bits: bits) {
                conditions.effectiveDerivedRoles = derived
                let roleCondition = conditions.derivedRoleCondition(role)
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
