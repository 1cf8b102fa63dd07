import CEL

/// The PlanResources API request (spec §4.3), decoded from its wire JSON.
public struct PlanResourcesRequest: Sendable {
    /// The most actions one request may plan (Cerbos's protovalidate rule).
    public static let maximumActions = 20

    /// Echoed in the response.
    public var requestId: String
    /// Whether to return `meta` (`filterDebug`, `matchedScope(s)`).
    public var includeMeta: Bool
    /// Who is asking.
    public var principal: Principal
    /// The kind of resource (and its version, scope and any known attributes); `id` is unused.
    public var resource: Resource
    /// The actions to plan; all must be allowed (their filters are and'ed).
    public var actions: [String]
    /// Whether the request named one `action` (deprecated) rather than `actions`: the
    /// response then echoes `action` and reports `matchedScope`.
    public var usesSingleAction: Bool
    /// The raw `auxData` (JWT tokens); verifying them is the server's job.
    public var auxData: Value?

    /// Creates a request.
    public init(requestId: String = "", includeMeta: Bool = false, principal: Principal, resource: Resource,
                actions: [String], usesSingleAction: Bool = false, auxData: Value? = nil) {
        self.requestId = requestId
        self.includeMeta = includeMeta
        self.principal = principal
        self.resource = resource
        self.actions = actions
        self.usesSingleAction = usesSingleAction
        self.auxData = auxData
    }

    static let allowedKeys: [StaticString] = [
        "requestId", "request_id", "includeMeta", "include_meta", "principal", "resource", "action", "actions",
        "auxData", "aux_data", "requestContext", "request_context",
    ]

    /// Decodes and validates the wire JSON; errors name the offending field.
    public init(from value: Value) throws(RequestError) {
        let r = RequestReader(value)
        let m = try r.object(allowed: Self.allowedKeys)
        (requestId, includeMeta, principal) = try r.requestHeader(m)
        guard let res = m[string: "resource"], !r.isNull(res) else {
            throw RequestError(path: "resource", message: "value is required")
        }
        resource = try Resource(from: res, at: RequestPath("resource"), plan: true)
        let single = m[string: "action"].flatMap { r.isNull($0) ? nil : $0 }
        let list = m[string: "actions"].flatMap { r.isNull($0) ? nil : $0 }
        switch (single, list) {
        case let (action?, nil):
            guard case let .string(name) = action else { throw RequestError(path: "action", message: "must be a string") }
            if name.isEmpty { throw RequestError(path: "action", message: "value length must be at least 1 characters") }
            actions = [name]
            usesSingleAction = true
        case (nil, _?):
            actions = try r.uniqueStrings(m, "actions", minimum: 1)
            if actions.count > Self.maximumActions {
                throw RequestError(path: "actions", message: "value must contain no more than \(Self.maximumActions) item(s)")
            }
            usesSingleAction = false
        case (_?, _?):
            throw RequestError(path: "action", message: "only one of action or actions may be set")
        case (nil, nil):
            throw RequestError(path: "actions", message: "one of action or actions is required")
        }
        auxData = r.auxData(m)
    }
}
