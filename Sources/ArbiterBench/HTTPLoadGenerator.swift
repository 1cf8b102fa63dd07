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
        let start = monotonicNanos()
        var threads: [pthread_t] = []
        for w in workers {
            var t = pthread_t()
            let box = Unmanaged.passRetained(w)
            guard pthread_create(&t, nil, { arg in
                Unmanaged<Worker>.fromOpaque(arg!).takeRetainedValue().run()
                return nil
            }, box.toOpaque()) == 0 else {
                box.release()
                throw BenchFailure("pthread_create failed")
            }
            threads.append(t)
        }
        for t in threads { pthread_join(t, nil) }
        let elapsed = monotonicNanos() - start
        var result = LoadGenerator.Result(latencies: [], requests: 0, elapsedNanos: elapsed, errors: [])
        for w in workers {
            close(w.fd)
            result.latencies.append(contentsOf: w.latencies)
            result.requests += w.latencies.count
            if let e = w.error { result.errors.append(e) }
        }
        return result
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

    final class Worker {
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
struct HTTPResponseReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)

    init(fd: Int32) { self.fd = fd }

    /// The next response's status and body, reading as needed; nil at end of stream.
    mutating func next() throws -> (status: Int, body: [UInt8])? {
        while true {
            if let parsed = parse() { return parsed }
            let fd = self.fd
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw BenchFailure("read: \(String(cString: strerror(errno)))") }
            if n == 0 { return nil }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }

    private mutating func parse() -> (status: Int, body: [UInt8])? {
        guard buffer.count >= 4 else { return nil }
        var headEnd = -1
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            headEnd = i + 4
            break
        }
        guard headEnd > 0 else { return nil }
        let head = String(decoding: buffer[0..<headEnd], as: UTF8.self).lowercased()
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        var length = 0
        for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            length = Int(line.dropFirst("content-length:".count).trimmingPrefixSpaces()) ?? 0
        }
        guard buffer.count >= headEnd + length else { return nil }
        let body = Array(buffer[headEnd..<(headEnd + length)])
        buffer.removeFirst(headEnd + length)
        return (status, body)
    }
}

extension Substring {
    fileprivate func trimmingPrefixSpaces() -> Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        return s
    }
}
