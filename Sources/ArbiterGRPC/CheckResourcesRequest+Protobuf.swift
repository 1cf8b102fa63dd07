import ArbiterEngine
import CEL

extension CheckResourcesRequest {
    /// The engine request for a CheckResources message, validated by the rules the JSON path
    /// applies (`validate()`), so both front ends refuse the same requests with the same field
    /// paths. Presence is checked here because only protobuf can leave a message unset.
    init(protobuf message: Cerbos_Request_V1_CheckResourcesRequest) throws(RequestError) {
        guard message.hasPrincipal else { throw RequestError(path: "principal", message: "value is required") }
        var entries: [ResourceEntry] = []
        entries.reserveCapacity(message.resources.count)
        for (i, entry) in message.resources.enumerated() {
            guard entry.hasResource else { throw RequestError(path: "resources[\(i)].resource", message: "value is required") }
            entries.append(ResourceEntry(actions: entry.actions, resource: Resource(protobuf: entry.resource)))
        }
        self.init(requestId: message.requestID, includeMeta: message.includeMeta,
                  principal: Principal(protobuf: message.principal), resources: entries,
                  auxData: message.hasAuxData ? Self.auxDataValue(message.auxData) : nil)
        try validate()
    }

    /// `auxData` in its protojson shape, as the JSON decoder keeps it for the server's JWT step.
    static func auxDataValue(_ aux: Cerbos_Request_V1_AuxData) -> Value {
        func jwt(_ j: Cerbos_Request_V1_AuxData.JWT) -> Value {
            .map(MapValue(stringKeyed: [("token", .string(j.token)), ("keySetId", .string(j.keySetID))]))
        }
        var fields: [(String, Value)] = []
        if aux.hasJwt { fields.append(("jwt", jwt(aux.jwt))) }
        if !aux.jwts.isEmpty {
            fields.append(("jwts", .map(MapValue(stringKeyed: aux.jwts.keys.sorted().map { ($0, jwt(aux.jwts[$0]!)) }))))
        }
        return .map(MapValue(stringKeyed: fields))
    }
}

extension Principal {
    /// The principal of a protobuf request, attributes as CEL values.
    init(protobuf p: Cerbos_Engine_V1_Principal) {
        self.init(id: p.id, roles: p.roles, attr: MapValue(protobuf: p.attr), policyVersion: p.policyVersion, scope: p.scope)
    }
}

extension Resource {
    /// The resource of a protobuf request, attributes as CEL values.
    init(protobuf r: Cerbos_Engine_V1_Resource) {
        self.init(kind: r.kind, id: r.id, attr: MapValue(protobuf: r.attr), policyVersion: r.policyVersion, scope: r.scope)
    }
}
