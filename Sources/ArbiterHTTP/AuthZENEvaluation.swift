import CEL

/// One AuthZEN access evaluation after defaults are merged: who, what, which action, and the
/// context (`cerbos.requestId`, `cerbos.includeMeta`, `cerbos.auxData` are read from it).
public struct AuthZENEvaluation: Sendable {
    /// An AuthZEN subject or resource: `type`, `id` and free-form `properties`.
    public struct Entity: Sendable {
        /// The type: the principal's default role, or the resource kind.
        public var type: String
        /// The id.
        public var id: String
        /// The properties, passed to policies as `attr`.
        public var properties: MapValue
    }

    /// The subject (Cerbos principal).
    public var subject: Entity
    /// The resource.
    public var resource: Entity
    /// The action name.
    public var action: String
    /// The context.
    public var context: MapValue

    /// The value of context or properties key `cerbos.<name>`.
    static func cerbosProperty(_ map: MapValue, _ name: String) -> Value? {
        map[string: "cerbos." + name]
    }

    /// `cerbos.<name>` as a string, "" when absent or not a string.
    static func cerbosString(_ map: MapValue, _ name: String) -> String {
        if case let .string(s)? = cerbosProperty(map, name) { return s }
        return ""
    }
}

/// `server.requestLimits` as they bound AuthZEN batches (as in Cerbos: evaluations at most
/// actions × resources; per subject, resources and actions per resource as in CheckResources).
public struct AuthZENLimits: Sendable, Hashable {
    /// `server.requestLimits.maxActionsPerResource`.
    public var maxActionsPerResource: Int
    /// `server.requestLimits.maxResourcesPerRequest`.
    public var maxResourcesPerRequest: Int

    /// Creates limits (Cerbos's defaults, 50 and 50).
    public init(maxActionsPerResource: Int = 50, maxResourcesPerRequest: Int = 50) {
        self.maxActionsPerResource = maxActionsPerResource
        self.maxResourcesPerRequest = maxResourcesPerRequest
    }
}
