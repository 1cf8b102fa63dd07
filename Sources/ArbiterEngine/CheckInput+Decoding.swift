import CEL
import OrderedCollections

extension Principal {
    /// Decodes a protojson principal, validating ids, roles, version and scope as Cerbos does.
    public init(from value: Value, path: String = "principal") throws(RequestError) {
        try self.init(from: value, at: RequestPath(path))
    }

    static let allowedKeys: [StaticString] = ["id", "roles", "attr", "policyVersion", "policy_version", "scope"]

    init(from value: Value, at location: RequestPath) throws(RequestError) {
        let r = RequestReader(value, at: location)
        let m = try r.object(allowed: Self.allowedKeys)
        id = try r.string(m, "id", required: true)
        roles = try r.uniqueStrings(m, "roles", minimum: 1)
        attr = try r.attributes(m, "attr")
        policyVersion = m[string: "policyVersion"] != nil ? try r.string(m, "policyVersion") : try r.string(m, "policy_version")
        scope = try r.string(m, "scope")
        try RequestRules.policyVersion(policyVersion, at: r.child("policyVersion"))
        try RequestRules.scope(scope, at: r.child("scope"))
    }
}

extension Resource {
    /// Decodes a protojson resource.
    public init(from value: Value, path: String = "resource") throws(RequestError) {
        try self.init(from: value, at: RequestPath(path))
    }

    static let allowedKeys: [StaticString] = ["kind", "id", "attr", "policyVersion", "policy_version", "scope"]

    /// The keys of a PlanResources resource: no `id`, since it stands for every resource of a kind.
    static let planKeys: [StaticString] = ["kind", "attr", "policyVersion", "policy_version", "scope"]

    /// Decodes a CheckResources resource, or with `plan` a PlanResources one (no `id`).
    init(from value: Value, at location: RequestPath, plan: Bool = false) throws(RequestError) {
        let r = RequestReader(value, at: location)
        let m = try r.object(allowed: plan ? Self.planKeys : Self.allowedKeys)
        kind = try r.string(m, "kind", required: true)
        id = plan ? "" : try r.string(m, "id", required: true)
        attr = try r.attributes(m, "attr")
        policyVersion = m[string: "policyVersion"] != nil ? try r.string(m, "policyVersion") : try r.string(m, "policy_version")
        scope = try r.string(m, "scope")
        try RequestRules.policyVersion(policyVersion, at: r.child("policyVersion"))
        try RequestRules.scope(scope, at: r.child("scope"))
    }
}

extension AuxData {
    /// Decodes already-verified aux data: `{jwt: {claims...}, jwts: {name: {claims...}}}`.
    public init(from value: Value, path: String = "auxData") throws(RequestError) {
        let r = RequestReader(value, path: path)
        let m = try r.object(allowed: ["jwt", "jwts"])
        jwt = MapValue()
        jwts = []
        if let v = m[string: "jwt"], !r.isNull(v) {
            guard case let .map(claims) = v else { throw RequestError(path: r.child("jwt"), message: "must be an object") }
            jwt = claims
        }
        if let v = m[string: "jwts"], !r.isNull(v) {
            guard case let .map(named) = v else { throw RequestError(path: r.child("jwts"), message: "must be an object") }
            for (key, claims) in named.storage {
                guard case let .string(name) = key, case let .map(c) = claims else {
                    throw RequestError(path: r.child("jwts"), message: "entries must be objects")
                }
                jwts.append((name, c))
            }
        }
    }
}

extension CheckInput {
    /// Decodes an engine-level `CheckInput` (the shape of Cerbos's engine test inputs).
    public init(from value: Value, path: String = "") throws(RequestError) {
        let r = RequestReader(value, path: path)
        let m = try r.object(allowed: ["requestId", "request_id", "principal", "resource", "actions", "auxData", "aux_data"])
        requestId = try r.string(m, m[string: "requestId"] != nil ? "requestId" : "request_id")
        guard let p = m[string: "principal"] else { throw RequestError(path: r.child("principal"), message: "value is required") }
        principal = try Principal(from: p, path: r.child("principal"))
        guard let res = m[string: "resource"] else { throw RequestError(path: r.child("resource"), message: "value is required") }
        resource = try Resource(from: res, path: r.child("resource"))
        actions = try r.uniqueStrings(m, "actions", minimum: 1)
        auxData = nil
        if let aux = m[string: "auxData"] ?? m[string: "aux_data"], !r.isNull(aux) {
            auxData = try AuxData(from: aux, path: r.child("auxData"))
        }
    }
}
