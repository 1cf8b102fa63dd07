import CEL

/// `request.principal` / `P`: fields by proto and JSON name (spec §3.1).
struct PrincipalObject: ObjectValue {
    let id: Value
    let roles: Value
    let attr: Value
    let policyVersion: Value
    let scope: Value

    init(_ p: Principal, scope: String) {
        id = .string(p.id)
        roles = .list(p.roles.map { .string($0) })
        attr = .map(p.attr)
        policyVersion = .string(p.policyVersion)
        self.scope = .string(scope)
    }

    var celType: CELType { CELType("cerbos.engine.v1.Request.Principal") }

    func field(_ name: String) -> Value? {
        switch name {
        case "id": return id
        case "roles": return roles
        case "attr": return attr
        case "policyVersion", "policy_version": return policyVersion
        case "scope": return scope
        default: return nil
        }
    }

    func isEqual(to other: any ObjectValue) -> Bool { false }
}

/// `request.resource` / `R`.
struct ResourceObject: ObjectValue {
    let kind: Value
    let id: Value
    let attr: Value
    let policyVersion: Value
    let scope: Value

    init(_ r: Resource, scope: String) {
        kind = .string(r.kind)
        id = .string(r.id)
        attr = .map(r.attr)
        policyVersion = .string(r.policyVersion)
        self.scope = .string(scope)
    }

    var celType: CELType { CELType("cerbos.engine.v1.Request.Resource") }

    func field(_ name: String) -> Value? {
        switch name {
        case "kind": return kind
        case "id": return id
        case "attr": return attr
        case "policyVersion", "policy_version": return policyVersion
        case "scope": return scope
        default: return nil
        }
    }

    func isEqual(to other: any ObjectValue) -> Bool { false }
}

/// `request.auxData`: `jwt` (claims) and `jwts` (name → `{claims}`).
struct AuxDataObject: ObjectValue {
    let jwt: Value
    let jwts: Value

    init(_ aux: AuxData?) {
        jwt = .map(aux?.jwt ?? MapValue())
        var named = MapValue()
        for (name, claims) in aux?.jwts ?? [] {
            named.storage[.string(name)] = .map(MapValue(stringKeyed: [("claims", .map(claims))]))
        }
        jwts = .map(named)
    }

    /// The `request.auxData` value; requests without aux data share one object.
    static func value(_ aux: AuxData?) -> Value {
        guard let aux else { return empty }
        return .object(AuxDataObject(aux))
    }

    private static let empty = Value.object(AuxDataObject(nil))

    var celType: CELType { CELType("cerbos.engine.v1.AuxData") }

    func field(_ name: String) -> Value? {
        switch name {
        case "jwt": return jwt
        case "jwts": return jwts
        default: return nil
        }
    }

    func isEqual(to other: any ObjectValue) -> Bool { false }
}

/// `request`: the principal, the resource and aux data.
struct RequestObject: ObjectValue {
    let principal: Value
    let resource: Value
    let auxData: Value

    var celType: CELType { CELType("cerbos.engine.v1.Request") }

    func field(_ name: String) -> Value? {
        switch name {
        case "principal": return principal
        case "resource": return resource
        case "auxData", "aux_data": return auxData
        default: return nil
        }
    }

    func isEqual(to other: any ObjectValue) -> Bool { false }
}
