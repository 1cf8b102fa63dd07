import ArbiterPolicy
import CEL

/// PlanResources's verdict (`WalkVerdict`): what one walk, pass or action planned. The
/// action is allowed where `allow` holds and `deny` does not; a part that is nil is absent (no
/// allow: nothing allows; no deny: nothing denies).
struct PolicyPlan: WalkVerdict {
    /// Where some role allows: alternatives, or'ed.
    private(set) var allows: [Residual] = []
    /// Where some role denies: the roles' conditional denies, or'ed; they apply to all roles.
    private(set) var denies: [Residual] = []
    /// Whether a resource or role-policy row matched: a pass with rows but no allow denies
    /// everywhere instead of matching nothing.
    var matched = false
    /// The first OVERRIDE_PARENT scope with rows, empty otherwise (`matchedScopes`).
    var scope = ""

    init(allow: Residual? = nil, deny: Residual? = nil, matched: Bool = false, scope: String = "") {
        allows = allow.map { [$0] } ?? []
        denies = deny.map { [$0] } ?? []
        self.matched = matched
        self.scope = scope
    }

    static var noMatch: PolicyPlan { PolicyPlan() }

    /// Where the action is allowed unless denied; false for matched rows none of which allows.
    var allow: Residual? { Self.or(allows) ?? (matched ? .value(.bool(false)) : nil) }
    var deny: Residual? { Self.or(denies) }

    var isEmpty: Bool { allows.isEmpty && denies.isEmpty && !matched }

    /// Where the action is allowed: `not deny and allow`, false without an allow (DENY is the
    /// default).
    var node: Residual {
        guard let allow else { return .value(.bool(false)) }
        guard let deny else { return allow }
        return PlanNodes.and([PlanNodes.not(deny), allow])
    }

    /// An unconditional allow without denies.
    var allowsEverywhere: Bool { denies.isEmpty && allows.count == 1 && allows[0].knownBool == true }

    /// Never: a plan reports the resource pass's matched scope, so the resource pass is
    /// planned whatever the principal pass found; `before(resource:)` folds both.
    var decidesEverywhere: Bool { false }

    /// As in Cerbos's planner, the roles' allows are alternatives while every role's
    /// conditional denies apply to all; a role denied unconditionally contributes nothing (another
    /// role may allow), and an unconditional allow without denies decides the action. The matched
    /// scope is the first role's that has one.
    mutating func addRole(_ role: PolicyPlan) {
        if scope.isEmpty { scope = role.scope }
        matched = matched || role.matched
        let roleDeny = role.deny
        if roleDeny?.knownBool == true { return }
        if role.allowsEverywhere {
            allows = role.allows
            denies = []
            return
        }
        if let roleAllow = Self.or(role.allows) { Self.appendDistinct(roleAllow, to: &allows) }
        if let roleDeny { Self.appendDistinct(roleDeny, to: &denies) }
    }

    /// The principal pass's denies hold throughout, its allows are an alternative to the
    /// resource pass's result (spec §2.12: `not principalDeny and (principalAllow or
    /// (not resourceDeny and resourceAllow))`). The matched scope is the resource pass's.
    func before(resource: PolicyPlan) -> PolicyPlan {
        if isEmpty { return resource }
        var plan = self
        plan.scope = resource.scope
        if resource.isEmpty { return plan }
        plan.allows = [allow.map { PlanNodes.or([$0, resource.node]) } ?? resource.node]
        return plan
    }

    /// Adds `node` unless an identical node is there already (roles that share rules, such as
    /// rules for `*`, give the same node once per role).
    private static func appendDistinct(_ node: Residual, to list: inout [Residual]) {
        if !list.contains(node) { list.append(node) }
    }

    /// The nodes or'ed; nil for none.
    private static func or(_ nodes: [Residual]) -> Residual? {
        switch nodes.count {
        case 0: return nil
        case 1: return nodes[0]
        default: return PlanNodes.or(nodes)
        }
    }
}

/// The allow and deny conditions of the scopes one walk reached, most specific first, folded
/// into a `PolicyPlan` as `PolicyWalk.walk` decides a chain: a scope decides where its rows
/// do, its parent elsewhere. Within a scope a deny beats an allow; the walk already dropped
/// the allows of REQUIRE_PARENTAL_CONSENT scopes, so an allow here is final.
struct ScopeSteps {
    private var steps: [(allow: Residual?, deny: Residual?)] = []

    mutating func append(allow: Residual?, deny: Residual?) {
        if allow != nil || deny != nil { steps.append((allow, deny)) }
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
