import ArbiterPolicy
import CEL

extension Engine {
    /// Answers a PlanResources API request (spec §2.12, §4.3): the filter under which the
    /// principal may perform every requested action on resources of the kind. `auxData` carries
    /// the claims of the request's JWTs after the server verified them.
    public func planResources(_ request: PlanResourcesRequest, auxData: AuxData? = nil,
                              now: Timestamp = Engine.currentTime()) throws(RequestError) -> PlanResourcesResponse {
        if request.actions.isEmpty {
            throw RequestError(path: "actions", message: "value must contain at least 1 item(s)")
        }
        if request.actions.count > PlanResourcesRequest.maximumActions {
            throw RequestError(path: "actions", message: "value must contain no more than \(PlanResourcesRequest.maximumActions) item(s)")
        }
        // As Cerbos plans: the resource side skips `required` (the resource is partial); under
        // `reject` any violation denies everything without planning, under `warn` it is reported.
        let schemaCheck = validateSchemas(principal: request.principal, resource: request.resource, actions: request.actions,
                                          ignoringRequired: true)
        let plans = schemaCheck.rejectedBy != nil ? nil : plan(principal: request.principal, resource: request.resource,
                                                                actions: request.actions, auxData: auxData, now: now)
        let filter: PlanFilter
        var debug: String
        var scopes: [(action: String, scope: String)] = []
        if schemaCheck.rejectedBy != nil {
            filter = PlanFilter(kind: .alwaysDenied)
            debug = ""
            scopes = request.actions.map { ($0, "") }
        } else if let plans {
            let node = plans.count == 1 ? plans[0].node : PlanNodes.and(plans.map(\.node))
            filter = PlanFilter(normalising: ResidualTranslator.operand(node))
            debug = filter.debugString
            scopes = zip(request.actions, plans).map { ($0, $1.scope) }
        } else {
            filter = PlanFilter(kind: .alwaysDenied)
            debug = PolicyNamer.noMatch
            scopes = request.actions.map { ($0, "") }
        }
        let meta = request.includeMeta ? PlanResourcesResponse.Meta(filterDebug: debug, matchedScopes: scopes) : nil
        return PlanResourcesResponse(requestId: request.requestId, actions: request.actions,
                                     usesSingleAction: request.usesSingleAction, resourceKind: request.resource.kind,
                                     policyVersion: effectiveVersion(request.resource.policyVersion), filter: filter,
                                     meta: meta, validationErrors: schemaCheck.errors)
    }
}
