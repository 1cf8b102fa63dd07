import CEL

extension Engine {
    /// Answers a CheckResources API request: limits are enforced, every resource is checked with
    /// the same `now`, and results come back in request order (spec §4.2).
    /// `auxData` carries the claims of the request's JWTs after the server verified them.
    public func checkResources(_ request: CheckResourcesRequest, auxData: AuxData? = nil,
                               now: Timestamp = Engine.currentTime()) throws(RequestError) -> CheckResourcesResponse {
        try request.checkLimits(configuration)
        var results: [CheckResourcesResponse.Result] = []
        results.reserveCapacity(request.resources.count)
        let includeMeta = request.includeMeta
        // One CEL budget for the whole request, whatever its resources and actions.
        var budget = configuration.celLimits.requestCostLimit
        // The principal and each entry are read in place (see `decide`): a for-in copied each
        // entry, and passing the parts copied them again.
        withUnsafePointer(to: request) { request in
            let principal = request.pointer(to: \.principal)!
            request.pointee.resources.withUnsafeBufferPointer { entries in
                for index in entries.indices {
                    let entry = entries.baseAddress! + index
                    let actions = entry.pointee.actions
                    // Effects (and matched policies for meta) are collected straight into the response's
                    // lists instead of into a `CheckOutput` that is then mapped into them.
                    var effects: [(action: String, effect: Effect)] = []
                    effects.reserveCapacity(actions.count)
                    var matched: [(action: String, matchedPolicy: String, matchedScope: String)] = []
                    if includeMeta { matched.reserveCapacity(actions.count) }
                    var schemaCheck = SchemaCheck.passed
                    let details = decide(principal: principal, resource: entry.pointer(to: \.resource)!, actions: actions,
                                         auxData: auxData, now: now, collectDetails: includeMeta,
                                         requestBudget: &budget, schemaCheck: &schemaCheck) { action, effect in
                        effects.append((action, effect.effect))
                        if includeMeta { matched.append((action, effect.policy, effect.scope)) }
                    }
                    if let policy = schemaCheck.rejectedBy {
                        results.append(Self.rejected(entry.pointee.resource, actions: actions, policy: policy,
                                                     errors: schemaCheck.errors, includeMeta: includeMeta))
                        continue
                    }
                    let meta = includeMeta ? CheckResourcesResponse.Meta(actions: matched,
                                                                         effectiveDerivedRoles: details.effectiveDerivedRoles) : nil
                    results.append(.init(resource: entry.pointee.resource, actions: effects, validationErrors: schemaCheck.errors, meta: meta,
                                         outputs: details.outputs))
                }
            }
        }
        return CheckResourcesResponse(requestId: request.requestId, results: results)
    }

    /// The result for a resource whose attributes failed their schemas under `reject`: every
    /// action denied by `policy`, with no scope.
    private static func rejected(_ resource: Resource, actions: [String], policy: String, errors: [ValidationError],
                                 includeMeta: Bool) -> CheckResourcesResponse.Result {
        let meta = includeMeta ? CheckResourcesResponse.Meta(actions: actions.map { ($0, policy, "") }, effectiveDerivedRoles: []) : nil
        return .init(resource: resource, actions: actions.map { ($0, .deny) }, validationErrors: errors, meta: meta, outputs: [])
    }
}
