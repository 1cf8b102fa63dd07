import ArbiterHTTP
import ArbiterServer
import CEL
import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1

/// A decision double for the connection tests: answers `{"principal": <id>}` and refuses a
/// request without `principal.id`, so tests see which request each response belongs to; plans
/// by echoing the action, so the PlanResources route can be seen reaching the engine.
struct EchoDecisions: DecisionService {
    typealias Snapshot = Int

    func planResources(_ params: Value, snapshot: Int) throws -> Value {
        guard case let .map(p) = params, case let .string(action)? = p[string: "action"] else {
            throw RPCError.invalidParams(field: "action", reason: "value is required")
        }
        return .map(MapValue(stringKeyed: [("planned", .string(action))]))
    }

    func checkResources(_ params: Value, snapshot: Int) throws -> Value {
        guard case let .map(p) = params, case let .map(principal)? = p[string: "principal"],
              case let .string(id)? = principal[string: "id"] else {
            throw RPCError.invalidParams(field: "principal.id", reason: "value is required")
        }
        return .map(MapValue(stringKeyed: [("principal", .string(id))]))
    }
}

func echoAPI() -> CerbosHTTPAPI<EchoDecisions> {
    let store = PolicyStore<Int>()
    store.publish(1, policyCount: 1, record: ReloadRecord(
        time: Timestamp(seconds: 0), outcome: .success, diagnostics: [], durationMilliseconds: 0, trigger: "test"))
    return CerbosHTTPAPI(decisions: EchoDecisions(), store: store, identity: ServerIdentity(version: "1", build: "b"), logger: testLogger)
}

/// A check request for principal `id` as raw HTTP/1.1.
func checkRequest(_ id: String, extraHeaders: String = "") -> String {
    let body = #"{"principal":{"id":"\#(id)"}}"#
    return "POST /api/check/resources HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\(extraHeaders)Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
}

/// One parsed HTTP response.
struct WireResponse {
    var status: Int
    var headers: [String: String]
    var body: String
}

/// Splits the bytes a server wrote into responses (1xx responses have no body).
func parseResponses(_ text: String) -> [WireResponse] {
    var rest = Substring(text)
    var result: [WireResponse] = []
    while let end = rest.range(of: "\r\n\r\n") {
        let lines = rest[..<end.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        rest = rest[end.upperBound...]
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let body = String(rest.prefix(length))
        rest = rest.dropFirst(length)
        result.append(WireResponse(status: status, headers: headers, body: body))
    }
    return result
}

/// A connection's pipeline on an `EmbeddedChannel`, with time under the test's control.
final class EmbeddedHTTPConnection {
    let channel = EmbeddedChannel()

    init(limits: HTTPServerLimits = HTTPServerLimits(maxBodySize: 1024, maxHeaderSize: 2048)) throws {
        try HTTPFrontEnd.addHandlers(to: channel.pipeline.syncOperations, api: echoAPI(), limits: limits, logger: testLogger)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    /// Sends bytes as one read.
    func send(_ text: String) throws {
        try channel.writeInbound(ByteBuffer(string: text))
    }

    /// Everything written since the last call, as text.
    func written() throws -> String {
        var out = ""
        while let part = try channel.readOutbound(as: ByteBuffer.self) { out += String(buffer: part) }
        return out
    }

    /// The responses written since the last call.
    func responses() throws -> [WireResponse] { parseResponses(try written()) }

    var isOpen: Bool { channel.isActive }

    func advance(_ amount: TimeAmount) { channel.embeddedEventLoop.advanceTime(by: amount) }

    deinit { _ = try? channel.finish() }
}
