import ArbiterAuxData
import ArbiterEngine
import ArbiterJSON
import CEL
import Logging
import ServiceLifecycle

/// Plugs the decision engine into the socket protocol: the snapshot is a ready `Engine` (an
/// immutable compiled policy set with its configuration), so a reload swaps engines whole.
///
/// This is the one decision layer every front end goes through, so it is where decisions are
/// measured (`metrics`) and traced (`tracing`), and where every response gets its `cerbosCallId`.
public struct EngineDecisionService: DecisionService {
    public typealias Snapshot = Engine

    /// Verifies the request's `auxData` JWTs into the claims the engine evaluates with.
    public let auxData: AuxDataVerifier
    /// Latency, batch size and outcome of each decision; nil: not measured.
    public var metrics: DecisionMetrics?
    /// Spans for each decision's phases; nil: not traced.
    public var tracing: ServerTracing?

    /// Creates the service; without a verifier, requests carrying JWTs are refused, as by
    /// Cerbos without `auxData` configuration.
    public init(auxData: AuxDataVerifier = AuxDataVerifier(), metrics: DecisionMetrics? = nil, tracing: ServerTracing? = nil) {
        self.auxData = auxData
        self.metrics = metrics
        self.tracing = tracing
    }

    /// Decodes the Cerbos request body, decides every resource with one `now`, and encodes the
    /// Cerbos response body. Bad params become JSON-RPC -32602 naming the field.
    public func checkResources(_ params: Value, snapshot: Engine) throws -> Value {
        try measuredCheck { batch in
            let request = try traced("decode") { try CheckResourcesRequest(from: params) }
            batch = request.resources.count
            return try decide(request, snapshot: snapshot).toValue()
        }
    }

    /// Same decision, encoded straight into the response frame: no `Value` tree in between.
    public func writeCheckResources(_ params: Value, snapshot: Engine, into writer: inout JSONWriter) throws {
        try measuredCheck { batch in
            let request = try traced("decode") { try CheckResourcesRequest(from: params) }
            batch = request.resources.count
            try write(decide(request, snapshot: snapshot), callID: nil, into: &writer)
        }
    }

    /// Decodes the Cerbos PlanResources body, verifies its `auxData` tokens as for CheckResources,
    /// plans it, and encodes the Cerbos response body with its `cerbosCallId`. Bad params become
    /// JSON-RPC -32602 naming the field.
    public func planResources(_ params: Value, snapshot: Engine) throws -> Value {
        try measuredPlan {
            let request = try traced("decode") { try PlanResourcesRequest(from: params) }
            let response = try plan(request, snapshot: snapshot)
            return traced("encode") { Self.withCallID(response.toValue(), AuditCallID.shared.next()) }
        }
    }

    /// The request straight from the frame's bytes (see `CheckResourcesRequest.init(json:)`).
    public func decodeCheckResources(_ cursor: inout JSONCursor) -> CheckResourcesRequest? {
        CheckResourcesRequest(json: &cursor)
    }

    /// Decides a request decoded from bytes and encodes the response body into the frame.
    public func writeCheckResources(decoded request: CheckResourcesRequest, snapshot: Engine, into writer: inout JSONWriter) throws {
        try measuredCheck { batch in
            batch = request.resources.count
            try write(decide(request, snapshot: snapshot), callID: nil, into: &writer)
        }
    }

    /// The claims of the request's `auxData` tokens, verified at `now`; nil without tokens.
    /// A token that does not verify is a request error (Cerbos: InvalidArgument, `invalid auxData`).
    public func verifiedAuxData(_ member: Value?, now: Timestamp) throws(RequestError) -> AuxData? {
        guard let member else { return nil }
        return try auxData.verify(AuxDataTokens(from: member), now: now)
    }

    /// The fetcher that keeps remote JWKS key sets current, when any are configured.
    public func backgroundServices(logger: Logger) -> [any Service] {
        auxData.remoteKeySets.isEmpty ? [] : [RemoteKeySetRefresher(keySets: auxData.remoteKeySets, logger: logger)]
    }

    /// Decides `request` with one `now` for every resource.
    func decide(_ request: CheckResourcesRequest, snapshot: Engine) throws -> CheckResourcesResponse {
        try traced("decide") {
            let now = Engine.currentTime()
            return try snapshot.checkResources(request, auxData: verifiedAuxData(request.auxData, now: now), now: now)
        }
    }

    /// Plans `request`.
    func plan(_ request: PlanResourcesRequest, snapshot: Engine) throws -> PlanResourcesResponse {
        try traced("decide") {
            let now = Engine.currentTime()
            // The request's auxData tokens are verified whether or not the call is recorded.
            return try snapshot.planResources(request, auxData: verifiedAuxData(request.auxData, now: now), now: now)
        }
    }
}

extension RequestError: RPCErrorConvertible {
    /// Request problems are the caller's: invalid params, with the JSON path of the field.
    public var rpcError: RPCError { .invalidParams(field: path, reason: message) }
}
