extension PlanResourcesRequest {
    /// Checks the rules the JSON decoder checks while reading (`init(from:)`), for a request
    /// built field by field (the gRPC front end), with the same paths and messages. The
    /// action/actions choice is the caller's: only it knows which fields were set.
    public func validate() throws(RequestError) {
        try principal.validate(at: "principal")
        try RequestRules.required(resource.kind, at: "resource.kind")
        try RequestRules.attributeKeys(resource.attr, at: "resource.attr")
        try RequestRules.policyVersion(resource.policyVersion, at: "resource.policyVersion")
        try RequestRules.scope(resource.scope, at: "resource.scope")
        if usesSingleAction {
            if actions.count != 1 || actions[0].isEmpty {
                throw RequestError(path: "action", message: "value length must be at least 1 characters")
            }
        } else {
            try RequestRules.strings(actions, at: "actions", minimum: 1)
            if actions.count > Self.maximumActions {
                throw RequestError(path: "actions", message: "value must contain no more than \(Self.maximumActions) item(s)")
            }
        }
    }
}
