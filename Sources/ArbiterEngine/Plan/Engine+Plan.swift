import ArbiterPolicy
import CEL

extension Engine {
    /// The CEL environment policy expressions are compiled in, for running known calls while
    /// planning (the functions and layout of `CELExpressionCompiler`).
    static let planEnvironment = CELExpressionCompiler().environment

    /// The plan of one action (spec §2.12): the residual filter and the scope that decided.
    struct ActionPlan {
        var node: Residual
        var scope: String
    }

    /// Plans every action of a PlanResources input; nil when no policy applies at all (the
    /// `NO_MATCH` answer).
    func plan(principal: Principal, resource: Resource, actions: [String], auxData: AuxData?,
              now: Timestamp) -> [ActionPlan]? {
        let requestPlan = RequestPlan(engine: self, principal: principal, resource: resource)
        let hasPrincipalRows = requestPlan.hasPrincipalRows(principal.id, set: policySet)
        if requestPlan.matchesNothing || (!hasPrincipalRows && !requestPlan.resourceExists) { return nil }
        let principalLevels = hasPrincipalRows ? ActionRun.levels(requestPlan.principalChain, principal: true, set: policySet,
                                                                  kind: requestPlan.kind,
                                                                  resourceVersion: requestPlan.resourceVersion,
                                                                  principalID: principal.id) : []
        let conditions = PlanConditions(engine: self, principal: principal, resource: resource, auxData: auxData, now: now)
        let expanded = requestPlan.expandedRoles(principal.roles, index: roleIndex)
        var walk = PlanWalk(kind: requestPlan.kind, conditions: conditions, allRoles: expanded.all, allRoleBits: expanded.allBits,
                            roleIndex: roleIndex)
        let eachRole = principal.roles.indices.map { (names: expanded.each?[$0] ?? [principal.roles[$0]], bits: expanded.eachBits[$0]) }
        return actions.map { action in
            let principalPlan = walk.principalPlan(action: action, levels: principalLevels)
            let resourcePlan = walk.resourcePlan(action: action, roles: eachRole, levels: requestPlan.resourceLevels)
            let combined = PolicyPlan.combine(principal: principalPlan, resource: resourcePlan)
            return ActionPlan(node: combined.node, scope: resourcePlan.scope)
        }
    }
}
