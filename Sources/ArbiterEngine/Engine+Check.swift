import ArbiterPolicy
import CEL

extension Engine {
    /// Checks one resource for every requested action (spec §2.3).
    public func check(_ input: CheckInput, now: Timestamp) -> CheckOutput {
        var output = CheckOutput(requestId: input.requestId, resourceId: input.resource.id, actions: [],
                                 effectiveDerivedRoles: [], outputs: [], evaluationErrors: [], validationErrors: [])
        output.actions.reserveCapacity(input.actions.count)
        var budget = configuration.celLimits.requestCostLimit
        var schemaCheck = SchemaCheck.passed
        let details = withUnsafePointer(to: input) { input in
            decide(principal: input.pointer(to: \.principal)!, resource: input.pointer(to: \.resource)!,
                   actions: input.pointee.actions, auxData: input.pointee.auxData, now: now,
                   collectDetails: true, requestBudget: &budget, schemaCheck: &schemaCheck) { output.actions.append(($0, $1)) }
        }
        output.validationErrors = schemaCheck.errors
        if let policy = schemaCheck.rejectedBy {
            output.actions = input.actions.map { ($0, ActionEffect(effect: .deny, policy: policy)) }
            return output
        }
        output.effectiveDerivedRoles = details.effectiveDerivedRoles
        output.outputs = details.outputs
        output.evaluationErrors = details.evaluationErrors
        return output
    }

    /// What a check reports besides the action effects.
    struct CheckDetails {
        var effectiveDerivedRoles: [String] = []
        var outputs: [OutputEntry] = []
        var evaluationErrors: [EvaluationError] = []
    }

    /// Decides every action of one resource, handing each effect to `record` in action order.
    /// Without `collectDetails` the effective derived roles and evaluation errors are not
    /// collected (a CheckResources response without `includeMeta` reports neither), which saves
    /// their lists and the error records per request; outputs are always collected.
    /// The principal and resource are read in place through pointers valid for the call (the
    /// callers project them out of the request with `withUnsafePointer`), so a check copies
    /// neither: each copy cost a retain and a release per string, list and map in it.
    /// Every CEL evaluation is charged to `requestBudget`, the cost units the whole request
    /// (all its resources) may still spend (`engine.celLimits.requestCostLimit`).
    /// First the attributes are validated against their schemas (`validateSchemas`, with the
    /// kind, version and schemas the plan resolved) into `schemaCheck`; when that rejects the
    /// request nothing is decided or recorded, and the caller denies every action.
    func decide(principal lentPrincipal: UnsafePointer<Principal>, resource lentResource: UnsafePointer<Resource>,
                actions: [String], auxData: AuxData?, now: Timestamp, collectDetails: Bool, requestBudget: inout Int,
                schemaCheck: inout SchemaCheck, record: (String, ActionEffect) -> Void) -> CheckDetails {
        let set = policySet
        let scratch = CheckScratch.acquire(for: self)
        defer { scratch.release() }
        let plan = scratch.plan(engine: self, principal: lentPrincipal, resource: lentResource)
        schemaCheck = validateSchemas(plan: plan, principal: lentPrincipal, resource: lentResource, actions: actions)
        if schemaCheck.rejectedBy != nil { return CheckDetails() }

        if plan.matchesNothing || (!plan.principalExists && !plan.resourceExists) {
            for action in actions { record(action, ActionEffect(effect: .deny, policy: PolicyNamer.noMatch)) }
            return CheckDetails()
        }
        let kind = plan.kind
        let principalChain = plan.principalChain
        let principalExists = plan.principalExists
        let resourceVersion = plan.resourceVersion
        let resourceLevels = plan.resourceLevels
        // Without a principal policy for this principal in the chain the principal pass cannot
        // match: an empty walk gives the same NO_MATCH without building the levels.
        let principalID = lentPrincipal.pointee.id
        let hasPrincipalRows = plan.hasPrincipalRows(principalID, set: set)
        let principalLevels = hasPrincipalRows ? ActionRun.levels(principalChain, principal: true, set: set, kind: kind,
                                                                  resourceVersion: resourceVersion,
                                                                  principalID: principalID) : []
        // Keys are only reported when a policy exists in the chain (spec §2.2). The principal key
        // is formatted only when a principal row decides, which few requests reach.
        let resourceKey = plan.resourceKey
        // Formatted on first use (a plain local: a nested function capturing it cost a dynamic
        // exclusivity check per request).
        var principalKey: String?

        scratch.context.lend(principal: lentPrincipal, resource: lentResource, auxData: auxData)
        let bindings = scratch.bindings
        bindings.reset(now: now)
        bindings.requestBudget = requestBudget
        defer { requestBudget = bindings.requestBudget }
        // Without role policies in the resource scope (the common case) each role stands alone:
        // slices of the request's array stand in for per-role arrays.
        let expanded = plan.expandedRoles(lentPrincipal.pointee.roles, index: roleIndex)
        var run = ActionRun(engine: self, kind: kind, allRoles: expanded.all, allRoleBits: expanded.allBits,
                            evaluation: CheckEvaluation(bindings: bindings, strict: configuration.strictEvaluation,
                                                        collectErrors: collectDetails, deferred: scratch.deferredVariables,
                                                        limitObserver: configuration.limitObserver),
                            collectDerivedRoles: collectDetails, roleLists: scratch,
                            activatesDerivedRoles: plan.runtimeObservable)

        for action in actions {
            // How the action is decided: `PolicyWalk.decide`.
            run.actionRows = plan.rows(for: action)
            let result = run.decide(action: action, roles: expanded, principalLevels: principalLevels,
                                    resourceLevels: resourceLevels)
            // NO_MATCH is a DENY (spec §2.3).
            let effect: Effect = result.kind == .allow ? .allow : .deny
            let policy: String
            if let decided = result.policy {
                policy = decided
            } else if result.byPrincipal {
                let key = principalKey ?? (principalExists ? PolicyNamer.principalPolicyKey(
                    principal: principalID, version: plan.principalVersion, scope: principalChain[0]) : PolicyNamer.noMatch)
                principalKey = key
                policy = key
            } else {
                policy = resourceKey
            }
            record(action, ActionEffect(effect: effect, policy: policy, scope: result.scope))
        }
        // Sorted in place: `sorted()` would copy into a new buffer. Only when there are two or
        // more: sorting the shared empty array gave it a fresh buffer (a malloc per request).
        if run.effectiveDerivedRoles.count > 1 { run.effectiveDerivedRoles.sort() }
        return CheckDetails(effectiveDerivedRoles: run.effectiveDerivedRoles, outputs: run.evaluation.outputs,
                            evaluationErrors: run.evaluation.sortedErrors())
    }
}
