import ArbiterPolicy
import CEL

/// What one policy pass (principal or resource) planned for one action: the action is
/// allowed where `allow` holds and `deny` does not. Nil parts are absent: no allow means the
/// pass allows nothing, no deny means it denies nothing.
struct PolicyPlan {
    /// Where some rule of the pass allows (the alternatives or'ed).
    var allow: Residual?
    /// Where the pass denies.
    var deny: Residual?
    /// The OVERRIDE_PARENT scope that matched first, empty otherwise.
    var scope = ""

    var isEmpty: Bool { allow == nil && deny == nil }

    /// Where the pass allows: `not deny and allow`, false without an allow (DENY is the default).
    var node: Residual {
        guard let allow else { return .value(.bool(false)) }
        guard let deny else { return allow }
        return PlanNodes.and([PlanNodes.not(deny), allow])
    }

    /// The principal pass decides before the resource pass (spec §2.12): its denies hold
    /// throughout, its allows are an alternative to the resource pass's result.
    static func combine(principal: PolicyPlan, resource: PolicyPlan) -> PolicyPlan {
        if principal.isEmpty { return resource }
        if resource.isEmpty { return principal }
        if principal.allow == nil && resource.allow == nil { return resource }
        let allow = principal.allow.map { PlanNodes.or([$0, resource.node]) } ?? resource.node
        return PolicyPlan(allow: allow, deny: principal.deny, scope: resource.scope)
    }
}

/// The allow and deny conditions of the scopes one walk reached, most specific first, folded
/// into a `PolicyPlan` with the scope semantics of CheckResources (spec §2.3, §2.4): within a
/// scope a deny beats an allow; an OVERRIDE_PARENT scope's allow is final, so a less specific
/// scope's deny counts only where the more specific allows do not hold; allows of a
/// REQUIRE_PARENTAL_CONSENT scope decide nothing (its conditional allows were already rewritten
/// to denies by the policy-set builder).
struct ScopeSteps {
    private var steps: [(allow: Residual?, deny: Residual?)] = []

    mutating func append(allow: Residual?, deny: Residual?, mode: ScopePermissionMode) {
        steps.append((mode == .overrideParent ? allow : nil, deny))
    }

    /// `deny₁ or (not allow₁ and (deny₂ or (not allow₂ and ...)))`: where the walk ends in a DENY.
    var deny: Residual? {
        var rest: Residual?
        for step in steps.reversed() {
            var tail = rest
            if let r = rest, let allow = step.allow { tail = PlanNodes.and([PlanNodes.not(allow), r]) }
            if let deny = step.deny {
                rest = tail.map { PlanNodes.or([deny, $0]) } ?? deny
            } else {
                rest = tail
            }
        }
        return rest
    }

    /// `allow₁ or allow₂ or ...`: with `not deny`, where the walk ends in an ALLOW.
    var allow: Residual? {
        let allows = steps.compactMap(\.allow)
        switch allows.count {
        case 0: return nil
        case 1: return allows[0]
        default: return PlanNodes.or(allows)
        }
    }
}
