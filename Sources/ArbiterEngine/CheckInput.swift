import CEL

/// The principal of a check (`cerbos.engine.v1.Principal`).
public struct Principal: Sendable {
    /// Principal id.
    public var id: String
    /// Roles, in request order (the order roles are tried in).
    public var roles: [String]
    /// Attributes as JSON-shaped CEL values (numbers are doubles).
    public var attr: MapValue
    /// Requested policy version; empty means `engine.defaultPolicyVersion`.
    public var policyVersion: String
    /// Requested scope; empty means `engine.defaultScope`.
    public var scope: String

    /// Creates a principal.
    public init(id: String, roles: [String], attr: MapValue = MapValue(), policyVersion: String = "", scope: String = "") {
        self.id = id
        self.roles = roles
        self.attr = attr
        self.policyVersion = policyVersion
        self.scope = scope
    }
}

/// The resource of a check (`cerbos.engine.v1.Resource`).
public struct Resource: Sendable {
    /// Resource kind as written (sanitised only for policy lookup).
    public var kind: String
    /// Resource id.
    public var id: String
    /// Attributes as JSON-shaped CEL values.
    public var attr: MapValue
    /// Requested policy version; empty means `engine.defaultPolicyVersion`.
    public var policyVersion: String
    /// Requested scope; empty means `engine.defaultScope`.
    public var scope: String

    /// Creates a resource.
    public init(kind: String, id: String, attr: MapValue = MapValue(), policyVersion: String = "", scope: String = "") {
        self.kind = kind
        self.id = id
        self.attr = attr
        self.policyVersion = policyVersion
        self.scope = scope
    }
}

/// One resource's check: the engine-level `CheckInput`.
public struct CheckInput: Sendable {
    /// Echoed in the output.
    public var requestId: String
    /// Who is asking.
    public var principal: Principal
    /// What is being accessed.
    public var resource: Resource
    /// Actions to decide, in request order.
    public var actions: [String]
    /// Decoded auxiliary data: `jwt` claims map and `jwts` (name → `{claims}`), or nil.
    public var auxData: AuxData?

    /// Creates an input.
    public init(requestId: String = "", principal: Principal, resource: Resource, actions: [String], auxData: AuxData? = nil) {
        self.requestId = requestId
        self.principal = principal
        self.resource = resource
        self.actions = actions
        self.auxData = auxData
    }
}

/// Verified auxiliary data (`request.auxData`): JWT claims already decoded.
public struct AuxData: Sendable {
    /// Claims of the single `jwt` token.
    public var jwt: MapValue
    /// Named tokens: name → claims.
    public var jwts: [(name: String, claims: MapValue)]

    /// Creates aux data.
    public init(jwt: MapValue = MapValue(), jwts: [(name: String, claims: MapValue)] = []) {
        self.jwt = jwt
        self.jwts = jwts
    }
}
