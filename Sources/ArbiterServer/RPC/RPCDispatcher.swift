import ArbiterJSON
import CEL
import Logging
import OrderedCollections

/// Turns one request frame's JSON into one response frame: envelope validation, method
/// dispatch, error mapping. Pure apart from reading the store, so it is tested without sockets.
public struct RPCDispatcher<Service: DecisionService>: Sendable {
    /// The engine.
    public let service: Service
    /// The snapshot cell.
    public let store: PolicyStore<Service.Snapshot>
    /// What `ServerInfo` answers.
    public let identity: ServerIdentity
    /// JSON nesting limit for request bodies.
    public let jsonOptions: JSONReader.Options
    /// Where internal errors are logged.
    public let logger: Logger
    /// Bounds on a request's JSON checked before it is parsed (`server.requestLimits`).
    public var requestLimits = RequestLimits()
    /// Where decisions are audited (`audit.*`); nil when auditing is off.
    public var recorder: DecisionRecorder?

    /// Creates a dispatcher.
    public init(
        service: Service, store: PolicyStore<Service.Snapshot>, identity: ServerIdentity,
        jsonOptions: JSONReader.Options = .init(), logger: Logger
    ) {
        self.service = service
        self.store = store
        self.identity = identity
        self.jsonOptions = jsonOptions
        self.logger = logger
    }

    /// Handles one frame payload. Returns the response JSON (without the length prefix), or nil
    /// for a notification (a request without `id`), which JSON-RPC says gets no answer.
    ///
    /// The daemon's callers (the connection handler, itself generic) run unspecialised; the
    /// engine's specialisation, picked by a type check on entry, saves the metadata lookups and
    /// witness-table calls generic code pays per request.
    public func handle(_ payload: UnsafeRawBufferPointer) -> [UInt8]? {
        var w = JSONWriter(capacity: 512)
        return handle(payload, into: &w) ? w.bytes : nil
    }

    /// Appends the response JSON for one frame payload to `w` (without the length prefix) and
    /// returns true, or returns false with `w` untouched for a notification. The connection
    /// handler passes the same writer for every frame, so a response costs no allocation of its
    /// own once the writer has grown to a response's size.
    public func handle(_ payload: UnsafeRawBufferPointer, into w: inout JSONWriter) -> Bool {
        handle(payload, peer: nil, into: &w)
    }

    /// `handle(_:into:)` for a frame from `peer`, which the audit log records.
    @_specialize(where Service == EngineDecisionService)
    public func handle(_ payload: UnsafeRawBufferPointer, peer: AuditPeer?, into w: inout JSONWriter) -> Bool {
        if let error = requestLimits.violation(in: payload) {
            // Answered before parsing, which is what the limit protects, so the id is unknown.
            writeError(id: .null, error: error, into: &w)
            return true
        }
        if handleDecodedCheck(payload, peer: peer, into: &w) { return true }
        guard let response = handleGeneral(payload, peer: peer) else { return false }
        w.bytes.append(contentsOf: response)
        return true
    }

    /// The general path: parse to a `Value`, validate the envelope, dispatch.
    private func handleGeneral(_ payload: UnsafeRawBufferPointer, peer: AuditPeer?) -> [UInt8]? {
        let message: Value
        do {
            message = try JSONReader.parse(payload, options: jsonOptions, knownKeys: .requestMembers)
        } catch let e as JSONParseError {
            return response(id: .null, error: .parseError(offset: e.offset, line: e.line, column: e.column, reason: e.message))
        } catch {
            return response(id: .null, error: .internalError("unexpected parser failure"))
        }
        guard case let .map(envelope) = message else {
            let reason = if case .list = message { "batch requests are not supported; send one request per frame" }
                else { "a request must be a JSON object" }
            return response(id: .null, error: .invalidRequest(field: "", reason: reason))
        }
        let idValue = envelope[string: "id"]
        var id: Value = .null
        if let idValue {
            switch idValue {
            case .string, .double, .null: id = Self.exactID(idValue, inPayload: payload, options: jsonOptions)
            default: return response(id: .null, error: .invalidRequest(field: "id", reason: "id must be a string, a number or null"))
            }
        }
        for case let .string(k) in envelope.storage.keys where k != "jsonrpc" && k != "id" && k != "method" && k != "params" {
            return response(id: id, error: .invalidRequest(field: k, reason: "unknown member in request"))
        }
        guard case .string("2.0")? = envelope[string: "jsonrpc"] else {
            return response(id: id, error: .invalidRequest(field: "jsonrpc", reason: "jsonrpc must be \"2.0\""))
        }
        guard case let .string(methodName)? = envelope[string: "method"] else {
            return response(id: id, error: .invalidRequest(field: "method", reason: "method must be a string"))
        }
        let params = envelope[string: "params"] ?? .map(MapValue())
        guard case .map = params else {
            // A notification gets no answer, not even an error (JSON-RPC 2.0 §4.1).
            guard idValue != nil else { return nil }
            return response(id: id, error: .invalidParams(field: "params", reason: "params must be an object"))
        }
        var w = JSONWriter(capacity: 512)
        let answered = respond(id: id, isNotification: idValue == nil, method: methodName, into: &w) { w in
            try call(method: methodName, params, peer: peer, into: &w)
        }
        return answered ? w.bytes : nil
    }

    /// Appends the envelope's head, `body`'s result and the tail, or the error `body` threw, to
    /// `w` and returns true; false, with `w` as it was, for a notification.
    private func respond(id: Value, isNotification: Bool, method methodName: String, into w: inout JSONWriter,
                         _ body: (inout JSONWriter) throws -> Void) -> Bool {
        // The result is written straight after the envelope's head in the one output buffer:
        // no result `Value`, no second buffer to splice it from.
        let start = w.bytes.count
        func fail(_ error: RPCError?) -> Bool {
            w.bytes.removeSubrange(start...)
            guard let error else { return false }
            writeError(id: id, error: error, into: &w)
            return true
        }
        w.appendASCII("{\"jsonrpc\":\"2.0\",\"id\":")
        // The id was parsed from JSON, so writing it cannot fail.
        try? w.write(id)
        w.appendASCII(",\"result\":")
        let idValue: Value? = isNotification ? nil : id
        do {
            try body(&w)
        } catch let e as any RPCErrorConvertible {
            return fail(idValue == nil ? nil : e.rpcError)
        } catch let e as JSONEncodingError {
            guard idValue != nil else { return fail(nil) }
            LogRateLimiter.shared.log(logger, .error, "result is not representable as JSON", metadata: ["error": "\(LogExcerpt.of("\(e)"))"])
            return fail(.internalError("result could not be encoded: \(e)"))
        } catch {
            LogRateLimiter.shared.log(logger, .error, "method failed",
                                      metadata: ["method": "\(LogExcerpt.of(methodName))", "error": "\(LogExcerpt.of("\(error)"))"])
            return fail(idValue == nil ? nil : .internalError("\(methodName) failed"))
        }
        guard idValue != nil else { return fail(nil) }
        w.appendASCII("}")
        return true
    }

    /// The hot path for a plain `CheckResources` request: the envelope is walked with a cursor
    /// and the service decodes the params straight from the bytes, so no `Value` tree is built
    /// for the request's structure. Returns nil (nothing decided) for anything else or anything
    /// unusual — other methods, notifications, unknown or repeated members, `params` before
    /// `method`, malformed JSON, params the service does not decode, no snapshot yet — and
    /// `handle` then takes the general path, which answers exactly as it always has.
    private func handleDecodedCheck(_ payload: UnsafeRawBufferPointer, peer: AuditPeer?, into w: inout JSONWriter) -> Bool {
        var c = JSONCursor(payload, options: jsonOptions, knownKeys: .requestMembers)
        var id: Value?
        var isCheck = false
        var decoded: Service.DecodedCheckResources?
        var seen: UInt32?
        do {
            guard try c.enterObject() else { return false }
            seen = try c.readMembers { key, c in
                switch key {
                case "jsonrpc":
                    return try c.readString() == "2.0" ? 1 : nil
                case "id":
                    let start = c.offset
                    let v = try c.readValue()
                    switch v {
                    case .string, .double, .null: id = Self.exactID(v, text: UnsafeRawBufferPointer(rebasing: payload[start..<c.offset]))
                    default: return nil
                    }
                    return 2
                case "method":
                    guard try c.readString() == RPCMethod.checkResources.rawValue else { return nil }
                    isCheck = true
                    return 4
                case "params":
                    guard isCheck, let request = service.decodeCheckResources(&c) else { return nil }
                    decoded = request
                    return 8
                default:
                    return nil
                }
            }
            guard c.isAtEnd() else { return false }
        } catch {
            return false
        }
        guard seen == 15, let id, let decoded else { return false }
        guard let recorder else {
            guard let snapshot = store.snapshot() else { return false }
            return respond(id: id, isNotification: false, method: RPCMethod.checkResources.rawValue, into: &w) { w in
                try service.writeCheckResources(decoded: decoded, snapshot: snapshot, into: &w)
            }
        }
        guard case let (snapshot, generation)? = store.snapshotWithGeneration() else { return false }
        let call = DecisionCall(peer: peer, recorder: recorder, generation: generation)
        return respond(id: id, isNotification: false, method: RPCMethod.checkResources.rawValue, into: &w) { w in
            try service.writeCheckResources(decoded: decoded, snapshot: snapshot, call: call, into: &w)
        }
    }

    /// Handles a payload held in an array (tests, the client's loopback).
    public func handle(_ payload: [UInt8]) -> [UInt8]? {
        payload.withUnsafeBytes { handle($0) }
    }

    /// Runs the method and appends its result JSON to `w`.
    private func call(method methodName: String, _ params: Value, peer: AuditPeer?, into w: inout JSONWriter) throws {
        guard let method = RPCMethod(rawValue: methodName) else { throw RPCError.methodNotFound(methodName) }
        switch method {
        case .serverInfo:
            try w.write(serverInfo())
        case .health:
            try w.write(health())
        case .checkResources, .planResources:
            guard case let (snapshot, generation)? = store.snapshotWithGeneration() else {
                throw RPCError.internalError("no policy set is loaded yet; see Health for the last reload's diagnostics")
            }
            let call = DecisionCall(peer: peer, recorder: recorder, generation: generation)
            if method == .checkResources {
                try service.writeCheckResources(params, snapshot: snapshot, call: call, into: &w)
            } else {
                try w.write(try service.planResources(params, snapshot: snapshot, call: call))
            }
        }
    }

    /// The `ServerInfo` result.
    public func serverInfo() -> Value {
        .map(MapValue(stringKeyed: [
            ("version", .string(identity.version)),
            ("build", .string(identity.build)),
            ("protocolVersion", .int(Int64(identity.protocolVersion))),
            ("methods", .list(RPCMethod.allCases.map { .string($0.rawValue) })),
        ]))
    }

    /// The `Health` result.
    public func health() -> Value {
        let current = store.current()
        let status = current.snapshot == nil ? "NOT_SERVING" : current.degradedReason == nil ? "SERVING" : "DEGRADED"
        var pairs: [(String, Value)] = [
            ("status", .string(status)),
            ("generation", .uint(current.generation)),
            ("policyCount", .int(Int64(current.policyCount))),
        ]
        if let reason = current.degradedReason { pairs.append(("degradedReason", .string(reason))) }
        if let recorder { pairs.append(("audit", recorder.healthValue())) }
        if let r = current.lastReload {
            pairs.append(("lastReload", .map(MapValue(stringKeyed: [
                ("time", .timestamp(r.time)),
                ("outcome", .string(r.outcome.rawValue)),
                ("trigger", .string(r.trigger)),
                ("durationMs", .double(r.durationMilliseconds)),
                ("diagnostics", .list(r.diagnostics.map { .string($0) })),
            ]))))
        }
        return .map(MapValue(stringKeyed: pairs))
    }

    private func response(id: Value, error: RPCError) -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        writeError(id: id, error: error, into: &w)
        return w.bytes
    }

    private func writeError(id: Value, error: RPCError, into w: inout JSONWriter) {
        w.appendASCII("{\"jsonrpc\":\"2.0\",\"id\":")
        try? w.write(id)
        w.appendASCII(",\"error\":{\"code\":")
        w.writeInt(Int64(error.code))
        w.appendASCII(",\"message\":")
        w.writeString(error.message)
        if let data = error.data {
            let mark = w.bytes.count
            w.appendASCII(",\"data\":")
            do { try w.write(data) } catch { w.bytes.removeSubrange(mark...) }
        }
        w.appendASCII("}}")
    }

    /// An error response for conditions found below the JSON layer (bad frame length, timeout).
    public func errorResponse(_ error: RPCError) -> [UInt8] {
        response(id: .null, error: error)
    }
}
