import CEL

/// The allow and deny parts gathered for one action by one policy pass (Cerbos's
/// `PolicyPlanResult`): the action is allowed where some allow part holds and no deny part
/// does. Deny parts are kept already negated.
struct PolicyPlan {
    var allow: [Residual] = []
    var deny: [Residual] = []
    /// The scope that decided (OVERRIDE_PARENT), empty otherwise.
    var scope = ""

    var isEmpty: Bool { allow.isEmpty && deny.isEmpty }

    mutating func add(_ node: Residual, allows: Bool) {
        if allows { allow.append(node) } else { deny.append(PlanNodes.not(node)) }
    }

    /// The combined node: every negated deny part, and the allow parts or'ed; false when
    /// there is nothing (the default is DENY).
    var node: Residual {
        switch (allow.count, deny.count) {
        case (0, 0): return .value(.bool(false))
        case (0, 1): return deny[0]
        case (0, _): return PlanNodes.and(deny)
        case (1, 0): return allow[0]
        case (1, _): return PlanNodes.and(deny + [allow[0]])
        case (_, 0): return PlanNodes.or(allow)
        default: return PlanNodes.and(deny + [PlanNodes.or(allow)])
        }
    }

    /// The principal pass decides before the resource pass: its denies hold throughout and
    /// its allows are an alternative to the whole resource plan (Cerbos's `CombinePlans`).
    static func combine(principal: PolicyPlan, resource: PolicyPlan) -> PolicyPlan {
        if principal.isEmpty { return resource }
        if resource.isEmpty { return principal }
        if principal.allow.isEmpty && resource.allow.isEmpty { return resource }
        return PolicyPlan(allow: principal.allow + [resource.node], deny: principal.deny, scope: resource.scope)
    }

    /// Adds a less specific scope's plan to this accumulated one (Cerbos's `mergePlans`): allow
    /// parts of both scopes must hold together, denies of both apply.
    static func merge(_ acc: PolicyPlan?, _ current: PolicyPlan) -> PolicyPlan {
        guard let acc else { return current }
        var allow = current.allow
        if current.allow.isEmpty {
            allow = acc.allow
        } else if !acc.allow.isEmpty {
            allow = acc.allow.flatMap { a in current.allow.map { c in PlanNodes.and([a, c]) } }
        }
        return PolicyPlan(allow: allow, deny: acc.deny + current.deny, scope: current.scope)
    }
}
