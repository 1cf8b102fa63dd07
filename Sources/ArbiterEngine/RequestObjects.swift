import ArbiterPolicy
import CEL

/// The request's principal, resource and aux data as CEL values, built once per check in a
/// single object: `request`, `P` and `R` are views holding only a reference to it, so a
/// check allocates one object for the three instead of one existential box each.
///
/// The engine keeps one context per thread and reassigns it for each request, so the context
/// and the three object values are allocated once per thread, not once per request. It keeps
/// the request's principal and resource as they are and makes a field's CEL value when an
/// expression reads it: most fields are never read, and converting all eleven up front (and
/// dropping them again) cost a retain, a release and an enum copy each per request.
/// Only the thread running a check touches its context, hence `@unchecked Sendable`, and the
/// fields skip the runtime exclusivity checks a class `var` costs on every read (a thread-local
/// access-set insert per field selection).
final class RequestContext: @unchecked Sendable {
    @exclusivity(unchecked) private var principal = RequestContext.noPrincipal
    @exclusivity(unchecked) private var resource = RequestContext.noResource
    /// Whether a request is assigned; a cleared context reads as nulls.
    @exclusivity(unchecked) private var assigned = false
    @exclusivity(unchecked) private(set) var auxData: Value = .null

    private static let noPrincipal = Principal(id: "", roles: [])
    private static let noResource = Resource(kind: "", id: "")

    var principalID: Value { assigned ? .string(principal.id) : .null }
    var principalAttr: Value { assigned ? .map(principal.attr) : .null }
    var principalVersion: Value { assigned ? .string(principal.policyVersion) : .null }
    /// Scopes are reported normalised (a leading `.` trimmed), as the engine resolves them.
    var principalScope: Value { assigned ? .string(PolicyNamer.normalisedScope(principal.scope)) : .null }
    var resourceKind: Value { assigned ? .string(resource.kind) : .null }
    var resourceID: Value { assigned ? .string(resource.id) : .null }
    var resourceAttr: Value { assigned ? .map(resource.attr) : .null }
    var resourceVersion: Value { assigned ? .string(resource.policyVersion) : .null }
    var resourceScope: Value { assigned ? .string(PolicyNamer.normalisedScope(resource.scope)) : .null }

    /// `P.roles`, built when an expression reads it: most requests never do, and building it
    /// up front cost a list allocation per request.
    var principalRoles: Value { .list((assigned ? principal.roles : []).map { .string($0) }) }

    /// A context for one request.
    convenience init(principal p: __shared Principal, resource r: __shared Resource, auxData aux: __shared AuxData?) {
        self.init()
        assign(principal: p, resource: r, auxData: aux)
    }

    /// An empty context, filled by `assign` before each use.
    init() {}

    /// Points the context at a request. The inputs are borrowed (`__shared`) and copied once.
    func assign(principal p: __shared Principal, resource r: __shared Resource, auxData aux: __shared AuxData?) {
        principal = p
        resource = r
        assigned = true
        auxData = AuxDataObject.value(aux)
    }

    /// Drops the request's data, so a thread's idle context keeps no request alive.
    func clear() {
        principal = Self.noPrincipal
        resource = Self.noResource
        assigned = false
        auxData = .null
    }
}

/// `request.principal` / `P`: fields by proto and JSON name (spec §3.1).
struct PrincipalObject: ObjectValue {
    let context: RequestContext

    var celType: CELType { CELType("cerbos.engine.v1.Request.Principal") }

    func field(_ name: String) -> Value? {
        switch name {
        case "id": return context.principalID
        case "roles": return context.principalRoles
        case "attr": return context.principalAttr
        case "policyVersion", "policy_version": return context.principalVersion
        case "scope": return context.principalScope
        default: return nil
        }
    }

    func isEqual(to other: any ObjectValue) -> Bool { false }
}

/// `request.resource` / `R`.
struct ResourceObject: ObjectValue {
    let context: RequestContext

    var celType: CELType { CELType("cerbos.engine.v1.Request.Resource") }

    func field(_ name: String) -> Value? {
        switch name {
        case "kind": return context.resourceKind
        case "id": return context.resourceID
        case "attr": return context.resourceAttr
        case "policyVersion", "policy_version": return context.resourceVersion
        case "scope": return context.resourceScope
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
    let context: RequestContext
    /// The `P` and `R` values, handed out by `request.principal` and `request.resource`
    /// instead of boxing a new object value on every such selection.
    let views: RequestViews

    var celType: CELType { CELType("cerbos.engine.v1.Request") }

    func field(_ name: String) -> Value? {
        switch name {
        case "principal": return views.principal
        case "resource": return views.resource
        case "auxData", "aux_data": return context.auxData
        default: return nil
        }
    }

    func isEqual(to other: any ObjectValue) -> Bool { false }
}

extension RequestObject: CustomStringConvertible {
    /// What an output of the whole `request` renders as (`OutputValue` describes unknown
    /// objects), kept as it read before `views` was added.
    var description: String { "RequestObject(context: \(String(reflecting: RequestContext.self)))" }
}

/// `P` and `R` as values over one context, built once per context.
final class RequestViews: Sendable {
    let principal: Value
    let resource: Value

    init(context: RequestContext) {
        principal = .object(PrincipalObject(context: context))
        resource = .object(ResourceObject(context: context))
    }
}
