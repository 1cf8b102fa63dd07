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
        // The request is read in place through the thread's scratch, as a check reads it (see
        // `decide`); the pointers stay valid for the whole plan and the scratch drops them after.
        withUnsafePointer(to: principal) { p in
            withUnsafePointer(to: resource) { r in
                let scratch = CheckScratch.acquire(for: self)
                defer { scratch.release() }
                return plan(principal: p, resource: r, actions: actions, auxData: auxData, now: now, scratch: scratch)
            }
        }
    }

    private func plan(principal p: UnsafePointer<Principal>, resource r: UnsafePointer<Resource>, actions: [String],
                      auxData: AuxData?, now: Timestamp, scratch: CheckScratch) -> [ActionPlan]? {
        let principal = p.pointee
        // The scope chains, levels and role expansion of recent requests are the thread's,
        // shared with CheckResources.
        let requestPlan = scratch.plan(engine: self, principal: p, resource: r)
        let hasPrincipalRows = requestPlan.hasPrincipalRows(principal.id, set: policySet)
        if requestPlan.matchesNothing || (!hasPrincipalRows && !requestPlan.resourceExists) { return nil }
        let principalLevels = hasPrincipalRows ? ActionRun.levels(requestPlan.principalChain, principal: true, set: policySet,
                                                                  kind: requestPlan.kind,
                                                                  resourceVersion: requestPlan.resourceVersion,
                                                                  principalID: principal.id) : []
        scratch.context.lend(principal: p, resource: r, auxData: auxData)
        scratch.bindings.reset(now: now)
        // One budget for the whole request (spec: `engine.celLimits.requestCostLimit`).
        let conditions = PlanConditions(scratch: scratch, resource: r.pointee,
                                        requestBudget: configuration.celLimits.requestCostLimit)
        let expanded = requestPlan.expandedRoles(principal.roles, index: roleIndex)
        var walk = PlanWalk(kind: requestPlan.kind, conditions: conditions, allRoles: expanded.all, allRoleBits: expanded.allBits,
                            roleIndex: roleIndex)
        return actions.map { action in
            // How the action is decided: `PolicyWalk.decide`.
            let combined = walk.decide(action: action, roles: expanded, principalLevels: principalLevels,
                                       resourceLevels: requestPlan.resourceLevels)
            return ActionPlan(node: combined.node, scope: combined.scope)
        }
    }
}
