import ArbiterJSON
import CEL

/// The PlanResources API response (spec §4.3).
public struct PlanResourcesResponse: Sendable {
    public var requestId: String
    /// The planned actions, as requested.
    public var actions: [String]
    /// Whether to echo `action` (and `matchedScope`) instead of `actions` (`matchedScopes`).
    public var usesSingleAction: Bool
    /// The resource kind as requested and the policy version planned with (the requested one,
    /// or the configured default).
    public var resourceKind: String
    public var policyVersion: String
    /// The filter: where the principal may perform every action.
    public var filter: PlanFilter
    /// Present with `includeMeta`.
    public var meta: Meta?
    /// Schema violations of the principal's and resource's attributes (the resource's
    /// `required` properties left out), sorted.
    public var validationErrors: [ValidationError]

    /// `meta`: the filter as an s-expression and the scope that decided each action.
    public struct Meta: Sendable {
        public var filterDebug: String
        /// Per action, in request order.
        public var matchedScopes: [(action: String, scope: String)]

        public init(filterDebug: String, matchedScopes: [(action: String, scope: String)]) {
            self.filterDebug = filterDebug
            self.matchedScopes = matchedScopes
        }
    }

    public init(requestId: String, actions: [String], usesSingleAction: Bool, resourceKind: String, policyVersion: String,
                filter: PlanFilter, meta: Meta?, validationErrors: [ValidationError] = []) {
        self.requestId = requestId
        self.actions = actions
        self.usesSingleAction = usesSingleAction
        self.resourceKind = resourceKind
        self.policyVersion = policyVersion
        self.filter = filter
        self.meta = meta
        self.validationErrors = validationErrors
    }

    /// The protojson form (zero values omitted, as Cerbos's gateway writes it).
    public func toValue() -> Value {
        var pairs: [(String, Value)] = []
        if !requestId.isEmpty { pairs.append(("requestId", .string(requestId))) }
        if usesSingleAction {
            pairs.append(("action", .string(actions.first ?? "")))
        } else {
            pairs.append(("actions", .list(actions.map { .string($0) })))
        }
        pairs.append(("resourceKind", .string(resourceKind)))
        if !policyVersion.isEmpty { pairs.append(("policyVersion", .string(policyVersion))) }
        pairs.append(("filter", filter.toValue()))
        if let meta {
            // Empty under schema rejection, which plans nothing (protojson omits it).
            var m: [(String, Value)] = meta.filterDebug.isEmpty ? [] : [("filterDebug", .string(meta.filterDebug))]
            if usesSingleAction {
                if let scope = meta.matchedScopes.first?.scope, !scope.isEmpty { m.append(("matchedScope", .string(scope))) }
            } else if !meta.matchedScopes.isEmpty {
                m.append(("matchedScopes", .map(MapValue(stringKeyed: meta.matchedScopes.map { ($0.action, .string($0.scope)) }))))
            }
            pairs.append(("meta", .map(MapValue(stringKeyed: m))))
        }
        if !validationErrors.isEmpty {
            pairs.append(("validationErrors", .list(validationErrors.map { e in
                .map(MapValue(stringKeyed: [("path", .string(e.path)), ("message", .string(e.message)),
                                            ("source", .string(e.source.rawValue))]))
            })))
        }
        return .map(MapValue(stringKeyed: pairs))
    }

    /// The protojson form as JSON bytes.
    public func encodeJSON() throws -> [UInt8] {
        try JSONWriter.encode(toValue())
    }
}
