#if canImport(Glibc)
import Glibc
#endif
import ArbiterJSON
import CEL

/// A blocking client that keeps `depth` CheckResources requests in flight on one connection
/// (ids 0, 1, 2, ... in send order) until the server stops taking them, and records exactly
/// what came back: how many complete responses, whether they were in order, and how the stream
/// ended. Used to watch a daemon shut down under load.
final class PipeliningClient: @unchecked Sendable {
    /// What one connection saw.
    struct Outcome: Sendable, CustomStringConvertible {
        var sent = 0
        var answered = 0
        var problems: [String] = []
        /// The stream ended with read() returning 0 after the last complete frame.
        var cleanEndOfStream = false
        var description: String { "sent \(sent), answered \(answered), clean EOF \(cleanEndOfStream), problems \(problems.prefix(3))" }
    }

    let fd: CInt
    private var buffer: [UInt8] = []

    init(path: String) throws {
        fd = try unixSocket(path, type: CInt(SOCK_STREAM.rawValue), connecting: true, receiveTimeoutSeconds: 30)
    }

    deinit { close(fd) }

    /// Sends one frame; false once the server refuses more bytes (EPIPE/ECONNRESET). MSG_NOSIGNAL
    /// keeps a refused write from raising SIGPIPE in the test process.
    func send(_ payload: [UInt8]) -> Bool {
        let n = UInt32(payload.count)
        let frame = [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + payload
        var offset = 0
        while offset < frame.count {
            let w = frame.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, frame.count - offset, CInt(MSG_NOSIGNAL)) }
            if w < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += w
        }
        return true
    }

    enum ReadResult {
        case frame([UInt8])
        case endOfStream(bufferedBytes: Int)
        case failed(String)
    }

    /// Reads the next complete frame.
    func readFrame() -> ReadResult {
        while true {
            if buffer.count >= 4 {
                let n = Int(buffer[0]) << 24 | Int(buffer[1]) << 16 | Int(buffer[2]) << 8 | Int(buffer[3])
                if buffer.count >= 4 + n {
                    let payload = Array(buffer[4..<(4 + n)])
                    buffer.removeFirst(4 + n)
                    return .frame(payload)
                }
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let r = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if r == 0 { return .endOfStream(bufferedBytes: buffer.count) }
            if r < 0 {
                if errno == EINTR { continue }
                return .failed(String(cString: strerror(errno)))
            }
            buffer += chunk[0..<r]
        }
    }

    /// Keeps `depth` requests in flight until the server stops taking requests or ends the
    /// stream; calls `progress` after each response. Every response must be a complete frame
    /// holding the result for the next id in order.
    func run(depth: Int, payload: (Int) -> [UInt8], progress: () -> Void) -> Outcome {
        var outcome = Outcome()
        var accepting = true
        for _ in 0..<depth where accepting {
            accepting = send(payload(outcome.sent))
            if accepting { outcome.sent += 1 }
        }
        while true {
            switch readFrame() {
            case let .frame(bytes):
                let expected = outcome.answered
                outcome.answered += 1
                if let problem = Self.checkResponse(bytes, id: expected) { outcome.problems.append(problem) }
                progress()
                if accepting {
                    accepting = send(payload(outcome.sent))
                    if accepting { outcome.sent += 1 }
                }
            case let .endOfStream(buffered):
                if buffered > 0 { outcome.problems.append("stream ended inside a frame (\(buffered) bytes of it received)") }
                outcome.cleanEndOfStream = buffered == 0
                return outcome
            case let .failed(reason):
                outcome.problems.append("read failed after \(outcome.answered) responses: \(reason)")
                return outcome
            }
        }
    }

    /// nil when `bytes` is the successful CheckResources response to request `id` (alice may
    /// view her document and may not edit it); else what is wrong.
    static func checkResponse(_ bytes: [UInt8], id: Int) -> String? {
        let text = String(decoding: bytes.prefix(300), as: UTF8.self)
        let value: Value
        do { value = try JSONReader.parse(bytes) } catch { return "not JSON (\(error)): \(text)" }
        guard case let .map(envelope) = value else { return "not an object: \(text)" }
        guard case let .double(got)? = envelope[string: "id"], Int(got) == id else { return "expected id \(id): \(text)" }
        guard case let .map(result)? = envelope[string: "result"], case let .list(results)? = result[string: "results"],
              case let .map(first)? = results.first, case let .map(actions)? = first[string: "actions"],
              case .string("EFFECT_ALLOW")? = actions[string: "view"], case .string("EFFECT_DENY")? = actions[string: "edit"] else {
            return "wrong result for id \(id): \(text)"
        }
        return nil
    }
}
