import ArbiterEngine
import ArbiterJSON
import CEL
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The one place decisions and accesses become audit entries, for every front end: JSON-RPC,
/// HTTP and gRPC all hand it the request they decoded and the response they are about to send,
/// so the entry says exactly what was answered.
///
/// Invariants: recording never blocks (entries go to `AuditLog`'s bounded queue, as their parts,
/// encoded by the writer thread) and never throws; the call id it is given is the
/// `cerbosCallId` answered, from the same process-wide generator the unaudited answers use.
public final class DecisionRecorder: Sendable {
    /// The configuration in force.
    public let configuration: AuditConfiguration
    /// The queue and writer.
    public let log: AuditLog
    let ids = AuditCallID.shared

    /// Wraps a started `AuditLog`.
    public init(configuration: AuditConfiguration, log: AuditLog) {
        self.configuration = configuration
        self.log = log
    }

    /// Opens the configured backend; nil when the configuration logs nothing.
    public static func make(_ configuration: AuditConfiguration, logger: Logger) throws -> DecisionRecorder? {
        guard configuration.isActive else { return nil }
        let log: AuditLog
        switch configuration.backend {
        case .stdout:
            log = AuditLog(sink: AuditStandardOutputSink(), capacity: configuration.bufferSize, logger: logger)
        case .file:
            guard let path = configuration.filePath else { throw AuditSinkError(path: "", operation: "configure: audit.file.path is required", code: EINVAL) }
            let sink = try AuditFileSink(path: path, maxBytes: configuration.maxFileSizeMB << 20, maxFiles: configuration.maxFileCount)
            log = AuditLog(sink: sink, capacity: configuration.bufferSize, logger: logger)
        }
        return DecisionRecorder(configuration: configuration, log: log)
    }

    /// A fresh call id (ULID), returned to the client as `cerbosCallId`.
    public func newCallID() -> String { ids.next() }

    /// Logs an access entry for a call of `method` when access logs are on.
    public func recordAccess(callID: String, method: String, call: DecisionCall) {
        guard configuration.accessLogsEnabled else { return }
        log.append(.access(head(callID, call), method: method))
    }

    /// Logs a CheckResources decision unless filtered out. `response` must carry `meta` for
    /// every result (the service decides with `includeMeta` on for this) so that each action's
    /// policy and scope can be logged whether or not the client asked for them. The entry's JSON
    /// is written by the audit writer thread, not the caller's.
    public func recordCheck(callID: String, request: CheckResourcesRequest, response: CheckResourcesResponse, call: DecisionCall) {
        recordAccess(callID: callID, method: "/cerbos.svc.v1.CerbosService/CheckResources", call: call)
        guard configuration.decisionLogsEnabled else { return }
        if configuration.ignoreAllowAll,
           response.results.allSatisfy({ $0.actions.allSatisfy { $0.effect == .allow } }) { return }
        log.append(.check(head(callID, call), request, response))
    }

    /// Logs a PlanResources decision unless filtered out.
    public func recordPlan(callID: String, request: PlanResourcesRequest, response: PlanResourcesResponse, call: DecisionCall) {
        recordAccess(callID: callID, method: "/cerbos.svc.v1.CerbosService/PlanResources", call: call)
        guard configuration.decisionLogsEnabled, !configuration.planIgnoreAll else { return }
        if configuration.planIgnoreAlwaysAllow, response.filter.kind == .alwaysAllowed { return }
        log.append(.plan(head(callID, call), request, response))
    }

    /// The head of an entry for a call answered now.
    private func head(_ callID: String, _ call: DecisionCall) -> AuditRecord.Head {
        AuditRecord.Head(recorder: self, callID: callID, time: .now(), call: call)
    }

    /// Flushes every accepted entry and closes the sink (the SIGTERM path).
    public func close() async { await log.close() }

    /// `{"callId":…,"timestamp":…,"peer":…,"metadata":…,"policyGeneration":…` without the
    /// closing brace.
    func writeHead(_ head: AuditRecord.Head, into w: inout JSONWriter) {
        let call = head.call
        w.appendASCII("{\"callId\":")
        w.writeString(head.callID)
        w.appendASCII(",\"timestamp\":\"")
        AuditTimestamp.write(head.time, into: &w.bytes)
        w.appendASCII("\",\"peer\":{\"address\":")
        let peer = call.peer ?? AuditPeer()
        w.writeString(peer.address)
        if let ua = peer.userAgent {
            w.appendASCII(",\"userAgent\":")
            w.writeString(ua)
        }
        if let c = peer.credentials {
            w.appendASCII(",\"pid\":")
            w.writeInt(Int64(c.pid))
            w.appendASCII(",\"uid\":")
            w.writeInt(Int64(c.uid))
            w.appendASCII(",\"gid\":")
            w.writeInt(Int64(c.gid))
        }
        if let exe = peer.executable {
            w.appendASCII(",\"executable\":")
            w.writeString(exe)
        }
        w.appendASCII("},\"metadata\":{")
        // Cerbos groups metadata values per key: {"key": {"values": [...]}}.
        var grouped: [(String, [String])] = []
        for (key, value) in call.metadata where configuration.keepsMetadataKey(key) {
            let k = key.lowercased()
            if let i = grouped.firstIndex(where: { $0.0 == k }) { grouped[i].1.append(value) } else { grouped.append((k, [value])) }
        }
        for (i, (key, values)) in grouped.enumerated() {
            if i > 0 { w.appendASCII(",") }
            w.writeString(key)
            w.appendASCII(":{\"values\":")
            Self.writeStrings(values, into: &w)
            w.appendASCII("}")
        }
        w.appendASCII("},\"policyGeneration\":")
        w.writeInt(Int64(call.generation))
    }
}

extension DecisionRecorder {
    /// The audit part of Health: entries written, dropped (queue full), failed (sink errors),
    /// waiting, and the last write error; an operator alerts on `failed` or `dropped` growing.
    public func healthValue() -> Value {
        let s = log.stats
        var pairs: [(String, Value)] = [
            ("written", .uint(s.written)), ("dropped", .uint(s.dropped)), ("failed", .uint(s.failed)),
            ("depth", .int(Int64(s.depth))),
        ]
        if let e = s.lastError { pairs.append(("lastError", .string(e))) }
        return .map(MapValue(stringKeyed: pairs))
    }
}
