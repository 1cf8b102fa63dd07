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
        for entry in request.resources {
            let out = check(requestId: request.requestId, principal: request.principal, resource: entry.resource,
                            actions: entry.actions, auxData: auxData, now: now)
            var meta: CheckResourcesResponse.Meta?
            if request.includeMeta {
                meta = .init(actions: out.actions.map { ($0.action, $0.effect.policy, $0.effect.scope) },
                             effectiveDerivedRoles: out.effectiveDerivedRoles)
            }
            results.append(.init(resource: entry.resource, actions: out.actions.map { ($0.action, $0.effect.effect) },
                                 validationErrors: out.validationErrors, meta: meta, outputs: out.outputs))
        }
        return CheckResourcesResponse(requestId: request.requestId, results: results)
    }
}
