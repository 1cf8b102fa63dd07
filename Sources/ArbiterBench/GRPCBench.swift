#if canImport(Glibc)
import Glibc
#endif
import ArbiterGRPC
import ArbiterJSON
import CEL
import Dispatch
import GRPCCore
import GRPCTestTransport
import NIOPosix
import SwiftProtobuf

/// Unary CheckResources through the daemon's gRPC socket (issue 17), with grpc-swift's
/// `GRPCClient` over the test transport (GRPCTestTransport: one HTTP/2 connection, our own
/// client code, not grpc-swift's NIO transport): latency of one call at a time, and throughput
/// with 8 streams in flight, to sit beside the JSON-RPC socket's 1conn x depth 1 figures of the
/// same run; and with `LeanGRPCClient`, whose own cost is a few µs, for the server's share
/// against the goal. The `GRPCClient` figures are a Swift gRPC client's view, not a
/// production client's: the transport writes and flushes each frame as it comes.
enum GRPCBench {
    static func run(report: BenchReport, socketPath: String, request: Value, actions: [String], quick: Bool,
                    jsonRPCp50Micros: Double?) throws {
        let message = try Cerbos_Request_V1_CheckResourcesRequest(jsonString: try JSONWriter.encodeString(request))
        let sequential = quick ? 2000 : 20_000
        let concurrent = quick ? 5000 : 50_000
        let result = try blocking {
            let transport = UnixSocketClientTransport(socketPath: socketPath)
            // The client's tasks on the loop that serves its connection, as the server's are:
            // on the global executor every call hops threads several times on this side too.
            let executor = EventLoopTaskExecutor(group: MultiThreadedEventLoopGroup.singleton)
            return try await withTaskExecutorPreference(executor) {
                try await withGRPCClient(transport: transport) { client in
                    let cerbos = Cerbos_Svc_V1_CerbosService.Client(wrapping: client)
                    let first = try await cerbos.checkResources(message)
                    guard let effects = first.results.first?.actions, Set(effects.keys) == Set(actions) else {
                        throw BenchFailure("gRPC CheckResources answered \(first)")
                    }
                    for _ in 0..<(sequential / 10) { _ = try await cerbos.checkResources(message) }
                    var samples: [UInt64] = []
                    samples.reserveCapacity(sequential)
                    for _ in 0..<sequential {
                        let t0 = monotonicNanos()
                        _ = try await cerbos.checkResources(message)
                        samples.append(monotonicNanos() - t0)
                    }
                    let start = monotonicNanos()
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for stream in 0..<8 {
                            group.addTask {
                                for _ in stride(from: stream, to: concurrent, by: 8) { _ = try await cerbos.checkResources(message) }
                            }
                        }
                        try await group.waitForAll()
                    }
                    let seconds = Double(monotonicNanos() - start) / 1e9
                    return (LatencySummary(samples), Double(concurrent) / seconds)
                }
            }
        }
        report.add("socket", "grpc 1conn x 1 stream p50", result.0.p50 / 1000, "µs", note: "unary CheckResources, GRPCClient over the test transport, tasks on the event loops")
        report.add("socket", "grpc 1conn x 1 stream p99", result.0.p99 / 1000, "µs")
        report.add("socket", "grpc 1conn x 8 streams throughput", result.1, "req/s")
        if let jsonRPCp50Micros {
            report.add("socket", "grpc/json-rpc 1conn p50", result.0.p50 / 1000 / jsonRPCp50Micros, "x", note: "GRPCClient over the test transport")
        }
        let lean = try leanLatency(socketPath: socketPath, message: message, actions: actions, calls: sequential)
        report.add("socket", "grpc lean client 1conn x 1 stream p50", lean.p50 / 1000, "µs",
                   note: "raw HTTP/2 frames, blocking, one call at a time: the server's share")
        report.add("socket", "grpc lean client 1conn x 1 stream p99", lean.p99 / 1000, "µs")
        if let jsonRPCp50Micros {
            report.add("socket", "grpc lean/json-rpc 1conn p50", lean.p50 / 1000 / jsonRPCp50Micros, "x", note: "goal <= 1.5")
        }
    }

    /// Unary CheckResources with `LeanGRPCClient`, one call at a time; the first answer is
    /// decoded and must hold every action asked about.
    static func leanLatency(socketPath: String, message: Cerbos_Request_V1_CheckResourcesRequest, actions: [String],
                            calls: Int) throws -> LatencySummary {
        let client = try LeanGRPCClient(socketPath: socketPath, path: "/cerbos.svc.v1.CerbosService/CheckResources")
        let request: [UInt8] = try message.serializedBytes()
        let first = try client.call(request)
        guard first.count > 5,
              let response = try? Cerbos_Response_V1_CheckResourcesResponse(serializedBytes: Array(first.dropFirst(5))),
              let effects = response.results.first?.actions, Set(effects.keys) == Set(actions) else {
            throw BenchFailure("gRPC CheckResources (lean client) answered \(first.count) bytes that are not the expected response")
        }
        for _ in 0..<(calls / 10) { _ = try client.call(request) }
        var samples: [UInt64] = []
        samples.reserveCapacity(calls)
        for _ in 0..<calls {
            let t0 = monotonicNanos()
            _ = try client.call(request)
            samples.append(monotonicNanos() - t0)
        }
        return LatencySummary(samples)
    }

    /// Runs async client code from the synchronous bench driver and waits for it.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = BlockingOutcome<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { outcome.value = .success(try await body()) } catch { outcome.value = .failure(error) }
            done.signal()
        }
        done.wait()
        return try outcome.value!.get()
    }
}

/// The result slot of `GRPCBench.blocking`: written by the task before it signals, read after the wait.
final class BlockingOutcome<T>: @unchecked Sendable {
    var value: Result<T, any Error>?
}
