import ArbiterPolicy
import CEL
import OrderedCollections

/// The request's principal, resource and aux data as CEL values, built once per check in a
/// single object: `request`, `P` and `R` are views holding only a reference to it, so a
/// check allocates one object for the three instead of one existential box each.
///
/// The engine keeps one context per thread and points it at each request, so the context
/// and the three object values are allocated once per thread, not once per request. During a
/// check it reads the request's principal and resource in place, through pointers valid for
/// the whole check (the engine calls `lend` inside `withUnsafePointer` and `clear` before
/// leaving it), and makes a field's CEL value when an expression reads it: most fields are
/// never read, and converting all eleven up front (and dropping them again) cost a retain, a
/// release and an enum copy each per request, copying the two structs about half of that.
/// Values made from the fields are copies, so nothing read through the pointers outlives the
/// check. A context built for a single evaluation (`Engine.evaluate`) owns copies instead,
/// since its results may be read after the call.
/// Only the thread running a check touches its context, hence `@unchecked Sendable`, and the
/// fields skip the runtime exclusivity checks a class `var` costs on every read (a thread-local
/// access-set insert per field selection).
final class RequestContext: @unchecked Sendable {
    @exclusivity(unchecked) private var lentPrincipal: UnsafePointer<Principal>?
    @exclusivity(unchecked) private var lentResource: UnsafePointer<Resource>?
    @exclusivity(unchecked) private var ownedPrincipal: Principal?
    @exclusivity(unchecked) private var ownedResource: Resource?
    @exclusivity(unchecked) private(set) var auxData: Value = .null

    @inline(__always) private func principalField(_ read: (borrowing Principal) -> Value) -> Value {
        if let lentPrincipal { return read(lentPrincipal.pointee) }
        if let ownedPrincipal { return read(ownedPrincipal) }
        return .null
    }

    @inline(__always) private func resourceField(_ read: (borrowing Resource) -> Value) -> Value {
        if let lentResource { return read(lentResource.pointee) }
        if let ownedResource { return read(ownedResource) }
        return .null
    }

    var principalID: Value { principalField { .string($0.id) } }
    var principalAttr: Value { principalField { .map($0.attr) } }
    var principalVersion: Value { principalField { .string($0.policyVersion) } }
    /// Scopes are reported normalised (a leading `.` trimmed), as the engine resolves them.
    var principalScope: Value { principalField { .string(PolicyNamer.normalisedScope($0.scope)) } }
    var resourceKind: Value { resourceField { .string($0.kind) } }
    var resourceID: Value { resourceField { .string($0.id) } }
    var resourceAttr: Value { resourceField { .map($0.attr) } }
    var resourceVersion: Value { resourceField { .string($0.policyVersion) } }
    var resourceScope: Value { resourceField { .string(PolicyNamer.normalisedScope($0.scope)) } }

    /// `P.roles`, built when an expression reads it: most requests never do, and building it
    /// up front cost a list allocation per request.
    var principalRoles: Value {
        let list = principalField { .list($0.roles.map { .string($0) }) }
        if case .null = list { return .list([]) }
        return list
    }

    /// A context owning copies of one request's parts.
    convenience init(principal p: __shared Principal, resource r: __shared Resource, auxData aux: __shared AuxData?) {
        self.init()
        ownedPrincipal = p
        ownedResource = r
        auxData = AuxDataObject.value(aux)
    }

    /// An empty context, pointed at each request by `lend`.
    init() {}

    /// Points the context at a request for the duration of a check; the pointers must stay
    /// valid until `clear()`.
    func lend(principal p: UnsafePointer<Principal>, resource r: UnsafePointer<Resource>, auxData aux: __shared AuxData?) {
        lentPrincipal = p
        lentResource = r
        auxData = AuxDataObject.value(aux)
    }

    /// Drops the request, so a thread's idle context refers to none.
    func clear() {
        lentPrincipal = nil
        lentResource = nil
        if ownedPrincipal != nil {
            ownedPrincipal = nil
            ownedResource = nil
        }
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
