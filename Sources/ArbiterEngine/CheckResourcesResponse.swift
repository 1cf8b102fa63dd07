import CEL

/// The CheckResources API response (spec §4.2).
public struct CheckResourcesResponse: Sendable {
    /// One entry of `results`, in request order.
    public struct Result: Sendable {
        /// The resource as requested (no defaults applied).
        public var resource: Resource
        /// Effects in the request's action order.
        public var actions: [(action: String, effect: Effect)]
        /// Schema validation errors.
        public var validationErrors: [ValidationError]
        /// With `includeMeta`: matched policy and scope per action, and effective derived roles.
        public var meta: Meta?
        /// Rule outputs.
        public var outputs: [OutputEntry]
    }

    /// `meta` of a result.
    public struct Meta: Sendable {
        /// `action → (matchedPolicy, matchedScope)` in action order.
        public var actions: [(action: String, matchedPolicy: String, matchedScope: String)]
        /// Effective derived roles, sorted.
        public var effectiveDerivedRoles: [String]
    }

    /// Echo of the request id.
    public var requestId: String
    /// Results in request order.
    public var results: [Result]

    /// The protojson form: camelCase names, empty fields omitted, enums as strings.
    public func toValue() -> Value {
        var top: [(String, Value)] = []
        if !requestId.isEmpty { top.append(("requestId", .string(requestId))) }
        top.append(("results", .list(results.map(Self.value(of:)))))
        return .map(MapValue(stringKeyed: top))
    }

    static func value(of result: Result) -> Value {
        var res: [(String, Value)] = [("id", .string(result.resource.id)), ("kind", .string(result.resource.kind))]
        if !result.resource.policyVersion.isEmpty { res.append(("policyVersion", .string(result.resource.policyVersion))) }
        if !result.resource.scope.isEmpty { res.append(("scope", .string(result.resource.scope))) }
        var fields: [(String, Value)] = [("resource", .map(MapValue(stringKeyed: res)))]
        fields.append(("actions", .map(MapValue(stringKeyed: result.actions.map { ($0.action, .string($0.effect.rawValue)) }))))
        if !result.validationErrors.isEmpty {
            fields.append(("validationErrors", .list(result.validationErrors.map { e in
                .map(MapValue(stringKeyed: [("path", .string(e.path)), ("message", .string(e.message)),
                                            ("source", .string(e.source.rawValue))]))
            })))
        }
        if let meta = result.meta {
            var metaFields: [(String, Value)] = []
            metaFields.append(("actions", .map(MapValue(stringKeyed: meta.actions.map { a in
                var entry: [(String, Value)] = [("matchedPolicy", .string(a.matchedPolicy))]
                if !a.matchedScope.isEmpty { entry.append(("matchedScope", .string(a.matchedScope))) }
                return (a.action, .map(MapValue(stringKeyed: entry)))
            }))))
            if !meta.effectiveDerivedRoles.isEmpty {
                metaFields.append(("effectiveDerivedRoles", .list(meta.effectiveDerivedRoles.map { .string($0) })))
            }
            fields.append(("meta", .map(MapValue(stringKeyed: metaFields))))
        }
        if !result.outputs.isEmpty {
            fields.append(("outputs", .list(result.outputs.map { o in
                var entry: [(String, Value)] = [("src", .string(o.src))]
                if let v = o.value { entry.append(("val", v)) }
                entry.append(("action", .string(o.action)))
                return .map(MapValue(stringKeyed: entry))
            })))
        }
        return .map(MapValue(stringKeyed: fields))
    }
}
