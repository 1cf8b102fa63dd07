import ArbiterEngine
import ArbiterJSON

/// An audit entry on its way through `AuditLog`'s queue: either a line already encoded, or the
/// parts of a decision entry, encoded to JSON by the writer thread. A request thread thus pays
/// for a clock read and a queue append, not for the entry's ~1 KiB of JSON.
///
/// The parts are the very request and response values answered (copy-on-write: queueing them
/// retains, it does not copy), so the entry still says exactly what was answered.
enum AuditRecord: Sendable {
    /// What every decision entry starts with.
    struct Head: Sendable {
        var recorder: DecisionRecorder
        var callID: String
        var time: AuditTimestamp.Instant
        var call: DecisionCall
    }

    case line([UInt8])
    case access(Head, method: String)
    case check(Head, CheckResourcesRequest, CheckResourcesResponse)
    case plan(Head, PlanResourcesRequest, PlanResourcesResponse)

    /// The entry's JSON line (without its newline), appended to `w`.
    func encode(into w: inout JSONWriter) {
        switch self {
        case let .line(bytes):
            w.bytes.append(contentsOf: bytes)
        case let .access(head, method):
            head.recorder.writeHead(head, into: &w)
            w.appendASCII(",\"method\":")
            w.writeString(method)
            w.appendASCII("}")
        case let .check(head, request, response):
            head.recorder.writeHead(head, into: &w)
            DecisionRecorder.writeCheck(request: request, response: response, into: &w)
            w.appendASCII("}")
        case let .plan(head, request, response):
            head.recorder.writeHead(head, into: &w)
            DecisionRecorder.writePlan(request: request, response: response, into: &w)
            w.appendASCII("}")
        }
    }
}
