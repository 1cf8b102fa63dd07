#if canImport(Glibc)
import Glibc
#endif
import ArbiterJSON
import ArbiterServer
import CEL
import Prometheus

/// Issue 18's metrics cost: the daemon's in-process path (`RPCDispatcher.handle`: parse, decode,
/// decide, encode) on the generated policies with the decision metrics off and on (swift-
/// prometheus counters, the lock-free latency and batch histograms), interleaved in blocks so
/// load hits both alike. `--loop-metrics off|on N` runs one side untimed for callgrind, whose
/// instruction counts (on minus off, over N) are the per-request cost without the noise.
enum MetricsBench {
    static func run(report: BenchReport, quick: Bool) throws {
        try withDispatchers { off, on, payload in
            let n = quick ? 20_000 : 200_000
            var samples: [Bool: [UInt64]] = [false: [], true: []]
            var w = JSONWriter(capacity: 1024)
            for block in 0..<(n / 1000) {
                let measured = block % 2 == 1
                let dispatcher = measured ? on : off
                for _ in 0..<1000 {
                    w.bytes.removeAll(keepingCapacity: true)
                    let t0 = monotonicNanos()
                    payload.withUnsafeBytes { _ = dispatcher.handle($0, into: &w) }
                    samples[measured]!.append(monotonicNanos() - t0)
                }
            }
            let offP50 = LatencySummary(samples[false]!).p50, onP50 = LatencySummary(samples[true]!).p50
            report.add("metrics", "dispatch p50 metrics off", offP50 / 1000, "µs")
            report.add("metrics", "dispatch p50 metrics on", onP50 / 1000, "µs")
            report.add("metrics", "on - off p50", onP50 - offP50, "ns", note: "noisy; see --loop-metrics under callgrind")
        }
    }

    /// `--loop-metrics off|on N`: the dispatcher with or without metrics, N requests, untimed.
    static func loop(_ mode: String, _ n: Int) throws {
        guard mode == "on" || mode == "off" else { throw BenchFailure("--loop-metrics takes off or on, got \(mode)") }
        try withDispatchers { off, on, payload in
            let bytes = runLoop(mode == "on" ? on : off, payload: payload, count: n)
            print("\(n) requests, metrics \(mode), \(bytes) response bytes")
        }
    }

    /// The measured loop, kept out of line so `valgrind --tool=callgrind --collect-atstart=no
    /// --toggle-collect='*runLoop*'` counts it alone, without the policy compile before it.
    @inline(never)
    static func runLoop(_ dispatcher: RPCDispatcher<EngineDecisionService>, payload: [UInt8], count n: Int) -> Int {
        var w = JSONWriter(capacity: 1024)
        var bytes = 0
        for _ in 0..<n {
            w.bytes.removeAll(keepingCapacity: true)
            payload.withUnsafeBytes { _ = dispatcher.handle($0, into: &w) }
            bytes &+= w.bytes.count
        }
        return bytes
    }

    /// Two dispatchers over the generated policies, without and with metrics, and the socket
    /// bench's CheckResources frame.
    private static func withDispatchers(
        _ body: (RPCDispatcher<EngineDecisionService>, RPCDispatcher<EngineDecisionService>, [UInt8]) throws -> Void
    ) throws {
        try SocketBench.withGeneratedPolicies("arbiter-bench-metrics") { policies, _, payload in
            let registry = PrometheusCollectorRegistry()
            let metrics = DecisionMetrics(factory: PrometheusMetricsFactory(registry: registry))
            let off = try SocketBench.inProcessDispatcher(policies: policies)
            let on = try SocketBench.inProcessDispatcher(policies: policies, metrics: metrics)
            try body(off, on, payload)
        }
    }
}
