#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation

/// A blocking HTTP/1.1 client over a raw Unix or TCP socket, for live tests that need byte-level
/// control (partial requests, pipelining). Reads run on a private queue, never on the
/// cooperative pool the server's tasks need.
final class RawHTTPClient: @unchecked Sendable {
    let fd: CInt
    private var buffer: [UInt8] = []
    private let queue = DispatchQueue(label: "raw-http-client")

    /// Connects to a Unix socket.
    init(unixPath path: String) throws {
        fd = socket(AF_UNIX, CInt(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket: \(String(cString: strerror(errno)))") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.utf8.prefix(raw.count - 1).enumerated() { raw[i] = b }
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try finishConnect(rc, "connect \(path)")
    }

    /// Connects to 127.0.0.1:`port`.
    init(loopbackPort port: Int) throws {
        fd = socket(AF_INET, CInt(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket: \(String(cString: strerror(errno)))") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try finishConnect(rc, "connect 127.0.0.1:\(port)")
    }

    private func finishConnect(_ rc: CInt, _ what: String) throws {
        guard rc == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw TestSetupError("\(what): \(reason)")
        }
        var tv = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// The next whole response, or nil when the server closed the connection first (or 20 s of
    /// silence passed).
    func nextResponse() async -> WireResponse? {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.readResponse()) }
        }
    }

    /// Whether the server closed the connection (EOF within 20 s).
    func closedByPeer() async -> Bool {
        await withCheckedContinuation { continuation in
            queue.async {
                var b = [UInt8](repeating: 0, count: 512)
                while true {
                    let n = read(self.fd, &b, b.count)
                    if n < 0 && errno == EINTR { continue }
                    if n > 0 { continue }
                    continuation.resume(returning: n == 0)
                    return
                }
            }
        }
    }

    /// The next length-prefixed JSON-RPC frame's payload (for comparing with the JSON-RPC socket).
    func nextFrame() async -> [UInt8]? {
        await withCheckedContinuation { continuation in
            queue.async {
                guard let header = self.readExactly(4) else { return continuation.resume(returning: nil) }
                let n = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
                continuation.resume(returning: self.readExactly(n))
            }
        }
    }

    private func readExactly(_ n: Int) -> [UInt8]? {
        while buffer.count < n {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let got = read(fd, &chunk, chunk.count)
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<got])
        }
        let out = Array(buffer[0..<n])
        buffer.removeFirst(n)
        return out
    }

    private func readResponse() -> WireResponse? {
        while true {
            let text = String(decoding: buffer, as: UTF8.self)
            if let headEnd = text.range(of: "\r\n\r\n") {
                let headBytes = text[..<headEnd.upperBound].utf8.count
                let parsed = parseResponses(String(text[..<headEnd.upperBound]))
                if let first = parsed.first {
                    let length = Int(first.headers["content-length"] ?? "0") ?? 0
                    if buffer.count >= headBytes + length {
                        let body = String(decoding: buffer[headBytes..<(headBytes + length)], as: UTF8.self)
                        buffer.removeFirst(headBytes + length)
                        return WireResponse(status: first.status, headers: first.headers, body: body)
                    }
                }
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }
}
