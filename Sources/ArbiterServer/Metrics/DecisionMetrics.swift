import ArbiterEngine
import CoreMetrics
#if canImport(Glibc)
import Glibc
#endif

/// The metrics of the decision path, every handle created once up front so that recording a
/// decision costs a clock read, a few relaxed atomic adds and no lock or allocation.
///
/// Latencies and batch sizes go to `AtomicHistogram`s (Cerbos's names and milliseconds);
/// request counts to swift-metrics counters from the factory given (swift-prometheus's counter
/// is one atomic add).
public final class DecisionMetrics: Sendable {
    /// What a decision call ended in: the `outcome` label of `arbiter_requests_total`.
    public enum Outcome: Int, Sendable, CaseIterable {
        /// Answered.
        case ok
        /// Refused as the caller's mistake (bad field, bad auxData token, over a limit).
        case invalidArgument
        /// Failed on the server's side.
        case error

        /// The label value.
        public var label: String {
            switch self {
            case .ok: "ok"
            case .invalidArgument: "invalid_argument"
            case .error: "error"
            }
        }
    }

    /// The decision methods counted by `arbiter_requests_total{method}`.
    public enum Method: Int, Sendable, CaseIterable {
        /// CheckResources.
        case checkResources
        /// PlanResources.
        case planResources

        /// The label value: Cerbos's method name.
        public var label: String {
            switch self {
            case .checkResources: "CheckResources"
            case .planResources: "PlanResources"
            }
        }
    }

    /// `cerbos_dev_engine_check_latency`: milliseconds per CheckResources, decode to encode.
    public let checkLatency = AtomicHistogram(
        name: "cerbos_dev_engine_check_latency", help: "Time to evaluate a CheckResources request (milliseconds)",
        bounds: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000], scale: 1_000_000)
    /// `cerbos_dev_engine_check_batch_size`: resources per CheckResources.
    public let checkBatchSize = AtomicHistogram(
        name: "cerbos_dev_engine_check_batch_size", help: "Number of resources in a CheckResources request",
        bounds: [1, 2, 5, 10, 20, 50, 100, 200, 500])
    /// `cerbos_dev_engine_plan_latency`: milliseconds per PlanResources.
    public let planLatency = AtomicHistogram(
        name: "cerbos_dev_engine_plan_latency", help: "Time to produce a PlanResources query plan (milliseconds)",
        bounds: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000], scale: 1_000_000)
    /// `arbiter_requests_total{method, outcome}`, indexed `method * 3 + outcome`.
    let requests: [Counter]

    /// Creates the handles from `factory` (the one bootstrapped by the executable unless a test
    /// passes its own).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        var counters: [Counter] = []
        for method in Method.allCases {
            for outcome in Outcome.allCases {
                counters.append(Counter(label: "arbiter_requests_total",
                                        dimensions: [("method", method.label), ("outcome", outcome.label)], factory: factory))
            }
        }
        requests = counters
    }

    /// The histograms this type owns, for the exposition.
    public var histograms: [AtomicHistogram] { [checkLatency, checkBatchSize, planLatency] }

    /// A monotonic clock reading in nanoseconds (vDSO, no system call, no allocation).
    @inline(__always)
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Records one CheckResources of `batch` resources started at `start` (`now()`).
    @inline(__always)
    public func recordCheck(start: UInt64, batch: Int, outcome: Outcome) {
        checkLatency.record(Self.now() &- start)
        if batch > 0 { checkBatchSize.record(UInt64(batch)) }
        requests[Method.checkResources.rawValue * 3 + outcome.rawValue].increment(by: 1)
    }

    /// Records one PlanResources started at `start`.
    @inline(__always)
    public func recordPlan(start: UInt64, outcome: Outcome) {
        planLatency.record(Self.now() &- start)
        requests[Method.planResources.rawValue * 3 + outcome.rawValue].increment(by: 1)
    }

    /// The outcome an error thrown by a decision stands for.
    public static func outcome(of error: any Error) -> Outcome {
        error is RequestError ? .invalidArgument : .error
    }
}
