#if canImport(Glibc)
import Glibc
#endif

/// The HTTP counterpart of `LoadGenerator`: N keep-alive connections, each a blocking thread
/// keeping `depth` requests in flight (HTTP/1.1 pipelining when depth > 1). HTTP answers in
/// request order, so each response is matched to the oldest send time.
enum HTTPLoadGenerator {
    static func run(path: String, connections: Int, depth: Int, requestsPerConnection: Int, request: [UInt8]) throws -> LoadGenerator.Result {
        var workers: [Worker] = []
        for _ in 0..<connections {
            workers.append(Worker(fd: try RawSocket.connect(path), request: request, depth: depth, total: requestsPerConnection))
        }
        return try LoadGenerator.drive(workers)
    }

    /// `POST /api/check/resources` with `body`, keep-alive.
    static func checkRequest(body: [UInt8]) -> [UInt8] {
        Array("POST /api/check/resources HTTP/1.1\r\nHost: arbiter\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
    }

    /// One request and its response body on a fresh connection (for checking answers).
    static func roundTrip(path: String, request: [UInt8]) throws -> (status: Int, body: [UInt8]) {
        let fd = try RawSocket.connect(path)
        defer { close(fd) }
        try RawSocket.writeAll(fd, request)
        var reader = HTTPResponseReader(fd: fd)
        guard let response = try reader.next() else { throw BenchFailure("no HTTP response from \(path)") }
        return response
    }

    final class Worker: LoadWorker {
        let fd: Int32
        let request: [UInt8]
        let depth: Int
        let total: Int
        var latencies: [UInt64] = []
        var error: String?

        init(fd: Int32, request: [UInt8], depth: Int, total: Int) {
            self.fd = fd; self.request = request; self.depth = depth; self.total = total
        }

        func run() {
            do { try loop() } catch { self.error = "\(error)" }
        }

        private func loop() throws {
            latencies.reserveCapacity(total)
            var reader = HTTPResponseReader(fd: fd)
            var sendTimes: [UInt64] = []
            var next = 0
            var sent = 0
            var out: [UInt8] = []
            let first = min(depth, total)
            let t0 = monotonicNanos()
            for _ in 0..<first { out.append(contentsOf: request); sendTimes.append(t0) }
            sent = first
            try RawSocket.writeAll(fd, out)
            while next < sent {
                guard let response = try reader.next() else { throw BenchFailure("server closed the connection with \(sent - next) requests in flight") }
                guard response.status == 200 else {
                    throw BenchFailure("HTTP \(response.status): \(String(decoding: response.body.prefix(200), as: UTF8.self))")
                }
                let now = monotonicNanos()
                latencies.append(now - sendTimes[next])
                next += 1
                if sent < total {
                    sendTimes.append(monotonicNanos())
                    try RawSocket.writeAll(fd, request)
                    sent += 1
                }
            }
        }
    }
}

/// Buffered reading of HTTP/1.1 responses with Content-Length bodies from a blocking socket.
/// Parses bytes in place (status digits, one header scan) so the client's cost stays close to the
/// JSON-RPC frame reader's and the figures measure the server.
struct HTTPResponseReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)

    init(fd: Int32) { self.fd = fd }

    /// The next response's status and body, reading as needed; nil at end of stream.
    mutating func next() throws -> (status: Int, body: [UInt8])? {
        while true {
            if let parsed = parse() { return parsed }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            let fd = self.fd
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw BenchFailure("read: \(String(cString: strerror(errno)))") }
            if n == 0 { return nil }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }

    private static let contentLength = Array("content-length:".utf8)

    private mutating func parse() -> (status: Int, body: [UInt8])? {
        let end = buffer.count
        guard end - start >= 16 else { return nil }
        var i = start
        var headEnd = -1
        var length = 0
        var lineStart = start
        while i + 1 < end {
            if buffer[i] == 13 && buffer[i + 1] == 10 {
                if i == lineStart { headEnd = i + 2; break }
                length = Self.contentLengthValue(buffer, lineStart, i) ?? length
                lineStart = i + 2
                i += 2
                continue
            }
            i += 1
        }
        guard headEnd > 0, end >= headEnd + length else { return nil }
        // "HTTP/1.1 200 ...": the status is the three digits after the first space.
        var status = 0
        for k in 9...11 {
            let d = buffer[start + k]
            status = d >= 48 && d <= 57 ? status * 10 + Int(d - 48) : 0
        }
        let body = Array(buffer[headEnd..<(headEnd + length)])
        start = headEnd + length
        return (status, body)
    }

    /// The value of a `content-length:` line between `from` and `to`, nil for other lines.
    private static func contentLengthValue(_ b: [UInt8], _ from: Int, _ to: Int) -> Int? {
        guard to - from > contentLength.count else { return nil }
        for (k, c) in contentLength.enumerated() where b[from + k] | 0x20 != c { return nil }
        var v = 0
        for j in (from + contentLength.count)..<to where b[j] >= 48 && b[j] <= 57 { v = v * 10 + Int(b[j] - 48) }
        return v
    }
}
