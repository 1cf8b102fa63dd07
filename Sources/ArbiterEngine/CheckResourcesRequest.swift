import CEL

/// The CheckResources API request (spec §4.2), decoded from its wire JSON.
public struct CheckResourcesRequest: Sendable {
    /// One entry of `resources`.
    public struct ResourceEntry: Sendable {
        /// Actions to decide (at least 1, unique).
        public var actions: [String]
        /// The resource.
        public var resource: Resource

        /// Creates an entry.
        public init(actions: [String], resource: Resource) {
            self.actions = actions
            self.resource = resource
        }
    }

    /// Echoed in the response.
    public var requestId: String
    /// Whether to return `meta` (matched policy and scope, effective derived roles).
    public var includeMeta: Bool
    /// Who is asking.
    public var principal: Principal
    /// What is being accessed.
    public var resources: [ResourceEntry]
    /// The raw `auxData` (JWT tokens); verifying them is the server's job.
    public var auxData: Value?

    /// Creates a request.
    public init(requestId: String = "", includeMeta: Bool = false, principal: Principal, resources: [ResourceEntry],
                auxData: Value? = nil) {
        self.requestId = requestId
        self.includeMeta = includeMeta
        self.principal = principal
        self.resources = resources
        self.auxData = auxData
    }

    static let allowedKeys: [StaticString] = [
        "requestId", "request_id", "includeMeta", "include_meta", "principal", "resources", "auxData", "aux_data",
        "requestContext", "request_context",
    ]
    static let entryKeys: [StaticString] = ["actions", "resource"]

    /// Decodes and validates the wire JSON; errors name the offending field.
    public init(from value: Value) throws(RequestError) {
        let r = RequestReader(value)
        let m = try r.object(allowed: Self.allowedKeys)
        (requestId, includeMeta, principal) = try r.requestHeader(m)
        guard let list = m[string: "resources"], !r.isNull(list) else {
            throw RequestError(path: "resources", message: "value must contain at least 1 item(s)")
        }
        guard case let .list(items) = list else { throw RequestError(path: "resources", message: "must be an array") }
        try RequestRules.count(items.count, at: "resources", minimum: 1)
        resources = []
        resources.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            let er = RequestReader(item, at: RequestPath("resources", index: i))
            let entry = try er.object(allowed: Self.entryKeys)
            let actions = try er.uniqueStrings(entry, "actions", minimum: 1)
            guard let res = entry[string: "resource"], !er.isNull(res) else {
                throw RequestError(path: er.child("resource"), message: "value is required")
            }
            let resource = try Resource(from: res, at: RequestPath("resources", index: i, suffix: ".resource"))
            resources.append(ResourceEntry(actions: actions, resource: resource))
        }
        auxData = r.auxData(m)
    }

    /// Checks the configured request limits (spec §4.2).
    public func checkLimits(_ configuration: EngineConfiguration) throws(RequestError) {
        if principal.roles.count > configuration.maxRolesPerPrincipal {
            throw RequestError(path: "principal.roles", message: "number of roles (\(principal.roles.count)) "
                               + "exceeds the configured limit (\(configuration.maxRolesPerPrincipal))")
        }
        if resources.count > configuration.maxResourcesPerRequest {
            throw RequestError(path: "resources", message: "number of resources in the request (\(resources.count)) "
                               + "exceeds the configured limit (\(configuration.maxResourcesPerRequest))")
        }
        // By index: iterating the entries copied each one (a retain and release per string,
        // list and map in it) to read one count.
        for i in resources.indices where resources[i].actions.count > configuration.maxActionsPerResource {
            throw RequestError(path: "resources[\(i)].actions", message: "number of actions (\(resources[i].actions.count)) "
                               + "exceeds the configured limit (\(configuration.maxActionsPerResource))")
        }
    }
}
