#if canImport(Glibc)
import Glibc
#endif

/// Our load generator: N connections, each a blocking thread keeping `depth` requests in
/// flight. Request frames are pre-encoded per pipeline slot with the JSON-RPC id equal to the
/// slot, so a response's id says which send time it answers whatever the reply order.
/// One connection's load loop, run on a thread of its own by `LoadGenerator.drive`.
protocol LoadWorker: AnyObject {
    /// The connection, closed by `drive` afterwards.
    var fd: Int32 { get }
    /// One latency per answered request, in nanoseconds.
    var latencies: [UInt64] { get }
    /// Why the loop stopped early, if it did.
    var error: String? { get }
    /// The loop.
    func run()
}

/// A worker as a class reference, to pass through `pthread_create`'s pointer argument.
final class WorkerBox {
    let worker: any LoadWorker
    init(_ worker: any LoadWorker) { self.worker = worker }
}

enum LoadGenerator {
    struct Result {
        var latencies: [UInt64]
        var requests: Int
        var elapsedNanos: UInt64
        var errors: [String]

        var throughput: Double { Double(requests) / Double(elapsedNanos) * 1e9 }
    }

    /// Runs the load; each connection sends `requestsPerConnection` requests, or stops sending
    /// at `stopAt` (monotonic ns) when given.
    static func run(path: String, connections: Int, depth: Int, requestsPerConnection: Int,
                    stopAt: UInt64? = nil, frame: (Int) throws -> [UInt8]) throws -> Result {
        let frames = try (0..<depth).map { RawSocket.frame(try frame($0)) }
        var workers: [Worker] = []
        for _ in 0..<connections {
            workers.append(Worker(fd: try RawSocket.connect(path), frames: frames, total: requestsPerConnection, stopAt: stopAt))
        }
        return try drive(workers)
    }

    /// Runs each worker on its own thread until all are done, then closes their connections
    /// and gathers their latencies.
    static func drive(_ workers: [any LoadWorker]) throws -> Result {
        let start = monotonicNanos()
        var threads: [pthread_t] = []
        for w in workers {
            var t = pthread_t()
            let box = Unmanaged.passRetained(WorkerBox(w))
            guard pthread_create(&t, nil, { arg in
                Unmanaged<WorkerBox>.fromOpaque(arg!).takeRetainedValue().worker.run()
                return nil
            }, box.toOpaque()) == 0 else {
                box.release()
                throw BenchFailure("pthread_create failed")
            }
            threads.append(t)
        }
        for t in threads { pthread_join(t, nil) }
        let elapsed = monotonicNanos() - start
        var result = Result(latencies: [], requests: 0, elapsedNanos: elapsed, errors: [])
        for w in workers {
            close(w.fd)
            result.latencies.append(contentsOf: w.latencies)
            result.requests += w.latencies.count
            if let e = w.error { result.errors.append(e) }
        }
        return result
    }

    final class Worker: LoadWorker {
        let fd: Int32
        let frames: [[UInt8]]
        let total: Int
        let stopAt: UInt64?
        var latencies: [UInt64] = []
        var error: String?

        init(fd: Int32, frames: [[UInt8]], total: Int, stopAt: UInt64?) {
            self.fd = fd; self.frames = frames; self.total = total; self.stopAt = stopAt
        }

        func run() {
            do { try loop() } catch { self.error = "\(error)" }
        }

        private func loop() throws {
            let depth = frames.count
            var sendTime = [UInt64](repeating: 0, count: depth)
            var inFlight = [Bool](repeating: false, count: depth)
            latencies.reserveCapacity(min(total, 1 << 20))
            var reader = FrameReader(fd: fd)
            var out: [UInt8] = []
            var sent = 0, outstanding = 0
            let startTime = monotonicNanos()
            for slot in 0..<min(depth, total) {
                out.append(contentsOf: frames[slot])
                sendTime[slot] = startTime
                inFlight[slot] = true
                sent += 1
                outstanding += 1
            }
            try RawSocket.writeAll(fd, out)
            var stopping = false
            while outstanding > 0 {
                guard try reader.fill() else { throw BenchFailure("server closed the connection with \(outstanding) requests in flight") }
                let now = monotonicNanos()
                if let stopAt, now >= stopAt { stopping = true }
                out.removeAll(keepingCapacity: true)
                var resend: [Int] = []
                while let payload = reader.nextBuffered() {
                    guard let slot = jsonRPCID(payload), slot < depth, inFlight[slot] else {
                        throw BenchFailure("response without a matching id: \(String(decoding: payload.prefix(200), as: UTF8.self))")
                    }
                    latencies.append(now - sendTime[slot])
                    inFlight[slot] = false
                    outstanding -= 1
                    if !stopping && sent < total { resend.append(slot) }
                }
                if !resend.isEmpty {
                    let t = monotonicNanos()
                    for slot in resend {
                        out.append(contentsOf: frames[slot])
                        sendTime[slot] = t
                        inFlight[slot] = true
                        sent += 1
                        outstanding += 1
                    }
                    try RawSocket.writeAll(fd, out)
                }
            }
        }
    }

    /// One request and its response on a fresh connection (for checking answers).
    static func roundTrip(path: String, payload: [UInt8]) throws -> [UInt8] {
        let fd = try RawSocket.connect(path)
        defer { close(fd) }
        try RawSocket.writeAll(fd, RawSocket.frame(payload))
        var reader = FrameReader(fd: fd)
        guard let response = try reader.next() else { throw BenchFailure("no response from \(path)") }
        return Array(response)
    }
}
