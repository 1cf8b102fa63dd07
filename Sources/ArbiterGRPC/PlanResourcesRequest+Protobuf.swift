import ArbiterEngine
import CEL

extension PlanResourcesRequest {
    /// The engine request for a PlanResources message, refused by the rules (and with the paths
    /// and messages) of the JSON decoder. Protobuf cannot tell an empty `action` from an unset
    /// one, so, as Cerbos's `exclusiveFieldsActionOrActions` rule reads it, a non-empty `action`
    /// is the deprecated single action and an empty one means `actions` is used.
    init(protobuf message: Cerbos_Request_V1_PlanResourcesRequest) throws(RequestError) {
        guard message.hasPrincipal else { throw RequestError(path: "principal", message: "value is required") }
        guard message.hasResource else { throw RequestError(path: "resource", message: "value is required") }
        let single = !message.action.isEmpty
        if single, !message.actions.isEmpty {
            throw RequestError(path: "action", message: "only one of action or actions may be set")
        }
        if !single, message.actions.isEmpty {
            throw RequestError(path: "actions", message: "one of action or actions is required")
        }
        let r = message.resource
        self.init(requestId: message.requestID, includeMeta: message.includeMeta,
                  principal: Principal(protobuf: message.principal),
                  resource: Resource(kind: r.kind, id: "", attr: MapValue(protobuf: r.attr), policyVersion: r.policyVersion,
                                     scope: r.scope),
                  actions: single ? [message.action] : message.actions, usesSingleAction: single,
                  auxData: message.hasAuxData ? CheckResourcesRequest.auxDataValue(message.auxData) : nil)
        try validate()
    }
}
