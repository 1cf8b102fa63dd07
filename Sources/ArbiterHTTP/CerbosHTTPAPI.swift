import ArbiterJSON
import ArbiterServer
import CEL
import Logging
import NIOCore
import NIOHTTP1

/// Cerbos's REST API and AuthZEN over one engine and snapshot cell: a whole request in, a whole
/// response out, no I/O, so every endpoint is tested without sockets. The connection handler
/// does the HTTP framing around it.
///
/// Request bodies are Cerbos's REST bodies, which are exactly the JSON-RPC socket's `params`:
/// they are decoded, validated and decided by the same `DecisionService` methods, and the
/// response body is the same encoder's output, so both front ends give the same answer.
public struct CerbosHTTPAPI<Decisions: DecisionService>: Sendable {
    /// The engine.
    public let decisions: Decisions
    /// The snapshot cell shared with the JSON-RPC socket.
    public let store: PolicyStore<Decisions.Snapshot>
    /// What `/api/server_info` reports.
    public let identity: ServerIdentity
    /// JSON nesting limit for request bodies.
    public let jsonOptions: JSONReader.Options
    /// `server.requestLimits`, which also bound AuthZEN batches.
    public let limits: AuthZENLimits
    /// Where internal errors are logged.
    public let logger: Logger
    /// Bounds on a body's JSON checked before it is parsed (`server.requestLimits`), as on the
    /// JSON-RPC socket.
    public var requestLimits = RequestLimits()
    /// Where decisions are audited; nil when auditing is off.
    public var recorder: DecisionRecorder?
    /// What `GET /_cerbos/metrics` serves; nil: metrics are off and the route answers 404.
    public var metrics: ServerMetrics?
    private let router = HTTPRouter()

    /// Creates the API.
    public init(decisions: Decisions, store: PolicyStore<Decisions.Snapshot>, identity: ServerIdentity,
                jsonOptions: JSONReader.Options = .init(), limits: AuthZENLimits = AuthZENLimits(), logger: Logger) {
        self.decisions = decisions
        self.store = store
        self.identity = identity
        self.jsonOptions = jsonOptions
        self.limits = limits
        self.logger = logger
    }

    /// Routes, answers, and indents the body for `?pretty`. Callers run unspecialised (the
    /// connection handler is generic too); the engine's specialisation is picked on entry.
    @_specialize(where Decisions == EngineDecisionService)
    public func respond(to request: HTTPAPIRequest) -> HTTPAPIResponse {
        var response: HTTPAPIResponse
        switch router.route(request.method, request.path) {
        case let .failure(error):
            response = HTTPAPIResponse(error)
        case let .success(endpoint):
            do throws(GatewayError) {
                if endpoint.takesBody {
                    if let problem = HTTPContentType.problem(request.headers) { throw problem }
                    if let violation = request.body.withUnsafeReadableBytes({ requestLimits.violation(in: $0) }) {
                        throw GatewayError(violation)
                    }
                }
                response = HTTPAPIResponse(body: try answer(endpoint, request))
                if endpoint == .metrics { response.contentType = MetricsEndpoint.contentType }
            } catch {
                response = HTTPAPIResponse(error)
            }
        }
        if request.wantsPretty, response.contentType == HTTPAPIResponse.json { response.body = JSONIndenter.indent(response.body) }
        return response
    }

    /// The route table, for callers that route before the body arrives (the connection handler
    /// answers `Expect: 100-continue` for an unknown route with the error, not an invitation).
    public func route(_ method: HTTPMethod, _ path: Substring) -> Result<HTTPEndpoint, GatewayError> {
        router.route(method, path)
    }

    private func answer(_ endpoint: HTTPEndpoint, _ request: HTTPAPIRequest) throws(GatewayError) -> [UInt8] {
        switch endpoint {
        case .checkResources: return try checkResources(request.body, call: auditCall(request))
        case .planResources: return try planResources(request.body, call: auditCall(request))
        case .serverInfo: return serverInfo()
        case .health: return try health(service: request.queryValue("service") ?? "")
        case .accessEvaluation: return try accessEvaluation(request.body)
        case .accessEvaluations: return try accessEvaluations(request.body)
        case .authzenConfiguration: return authzenConfiguration(request.headers)
        case .metrics:
            guard let metrics else { throw .notFound }
            return metrics.exposition()
        }
    }

    /// `POST /api/check/resources`: the decoded fast path when the body is a plain valid request,
    /// otherwise the `Value` path that reports the exact error, as on the JSON-RPC socket.
    func checkResources(_ body: ByteBuffer, call: DecisionCall = DecisionCall()) throws(GatewayError) -> [UInt8] {
        guard case let (snapshot, generation)? = store.snapshotWithGeneration() else { throw .noPolicies }
        var call = call
        call.generation = generation
        var w = JSONWriter(capacity: 512)
        let decided: Bool = body.withUnsafeReadableBytes { raw in
            var c = JSONCursor(raw, options: jsonOptions, knownKeys: .requestMembers)
            guard let request = decisions.decodeCheckResources(&c), c.isAtEnd() else { return false }
            do {
                try decisions.writeCheckResources(decoded: request, snapshot: snapshot, call: call, into: &w)
                return true
            } catch {
                w.bytes.removeAll(keepingCapacity: true)
                return false
            }
        }
        if decided { return w.bytes }
        let params = try parseObject(body)
        do {
            try decisions.writeCheckResources(params, snapshot: snapshot, call: call, into: &w)
        } catch {
            throw gatewayError(error, operation: "CheckResources")
        }
        return w.bytes
    }

    /// `POST /api/plan/resources`: the engine's `planResources` on the same snapshot, its
    /// result written as the response body.
    func planResources(_ body: ByteBuffer, call: DecisionCall = DecisionCall()) throws(GatewayError) -> [UInt8] {
        guard case let (snapshot, generation)? = store.snapshotWithGeneration() else { throw .noPolicies }
        var call = call
        call.generation = generation
        let params = try parseObject(body)
        do {
            return try JSONWriter.encode(try decisions.planResources(params, snapshot: snapshot, call: call))
        } catch {
            throw gatewayError(error, operation: "PlanResources")
        }
    }

    /// `GET /api/server_info`: Cerbos's `{version, commit, buildDate}`; the build identifier
    /// stands in for the commit, and the date is left out (zero values are omitted).
    func serverInfo() -> [UInt8] {
        Self.encode(.map(MapValue(stringKeyed: [("version", .string(identity.version)), ("commit", .string(identity.build))])))
    }

    /// `GET /_cerbos/health`: `{"status":"SERVING"}` once a policy set is loaded; 503 with
    /// `NOT_SERVING` before, and 404 for a service the health server does not know, as the
    /// gRPC health service behind Cerbos's gateway answers.
    func health(service: String) throws(GatewayError) -> [UInt8] {
        guard HealthServices.names.contains(service) else {
            throw GatewayError(status: .notFound, code: GatewayError.Code.notFound, message: "unknown service \(service)")
        }
        guard store.snapshot() != nil else {
            throw GatewayError(status: .serviceUnavailable, code: GatewayError.Code.unavailable, message: "status:NOT_SERVING")
        }
        return Array(#"{"status":"SERVING"}"#.utf8)
    }

    /// Parses a request body that must be a JSON object; an empty body is `{}`, as protojson
    /// reads it, so the validation names the first missing field.
    func parseObject(_ body: ByteBuffer) throws(GatewayError) -> Value {
        if body.readableBytes == 0 { return .map(MapValue()) }
        let value: Value
        do {
            value = try body.withUnsafeReadableBytes { try JSONReader.parse($0, options: jsonOptions, knownKeys: .requestMembers) }
        } catch let e as JSONParseError {
            throw .invalidArgument("request body is not valid JSON: line \(e.line), column \(e.column): \(e.message)")
        } catch {
            throw .invalidArgument("request body is not valid JSON")
        }
        guard case .map = value else { throw .invalidArgument("request body must be a JSON object") }
        return value
    }

    /// The gateway form of whatever a `DecisionService` method threw.
    func gatewayError(_ error: any Error, operation: String) -> GatewayError {
        if let e = error as? any RPCErrorConvertible { return GatewayError(e.rpcError) }
        if let e = error as? GatewayError { return e }
        logger.error("HTTP request failed", metadata: ["operation": "\(operation)", "error": "\(error)"])
        return .internal("\(operation) failed")
    }

    static func encode(_ value: Value) -> [UInt8] {
        // Built here from strings, booleans and maps only, which always encode.
        (try? JSONWriter.encode(value)) ?? []
    }
}

/// The services `/_cerbos/health?service=` answers for: the server as a whole ("") and Cerbos's
/// two APIs.
enum HealthServices {
    static let names: Set<String> = ["", "cerbos.svc.v1.CerbosService", "authzen.authorization.v1.AuthorizationService"]
}

extension CerbosHTTPAPI {
    /// The audit view of a request: its peer, user agent and headers (as Cerbos logs gRPC
    /// metadata and HTTP headers); an empty call when auditing is off.
    func auditCall(_ request: HTTPAPIRequest) -> DecisionCall {
        guard let recorder else { return DecisionCall() }
        var peer = request.peer ?? AuditPeer()
        peer.userAgent = request.headers.first(name: "user-agent")
        return DecisionCall(peer: peer, metadata: request.headers.map { (key: $0.name.lowercased(), value: $0.value) },
                            recorder: recorder)
    }
}
