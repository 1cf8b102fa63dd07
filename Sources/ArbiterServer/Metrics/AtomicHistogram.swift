import Atomics

/// A Prometheus histogram whose `record` is lock-free and allocation-free: fixed bucket bounds
/// chosen at creation, one relaxed atomic add per bucket hit, sum and count. swift-prometheus's
/// own histogram takes a lock per observation, which the decision path must not.
///
/// Observations are integers in a fixed unit (nanoseconds for latencies, items for sizes); the
/// exposition divides them by `scale` so the text is in Cerbos's unit (milliseconds, items).
/// A scrape may see a bucket incremented before the count: each series is read once, relaxed,
/// which Prometheus tolerates (its rate() works on each series alone).
public final class AtomicHistogram: Sendable {
    /// The metric name, e.g. `cerbos_dev_engine_check_latency`.
    public let name: String
    /// The `# HELP` text.
    public let help: String
    /// Upper bounds in recorded units, ascending; the +Inf bucket is implicit.
    let bounds: [UInt64]
    /// Recorded units per exposed unit (1_000_000 for nanoseconds shown as milliseconds).
    let scale: Double
    /// Non-cumulative bucket counts, one more than `bounds` (the +Inf bucket).
    let buckets: [ManagedAtomic<UInt64>]
    let sum = ManagedAtomic<UInt64>(0)

    /// A histogram with `bounds` in exposed units (ascending), recording integers `scale` times
    /// finer.
    public init(name: String, help: String, bounds: [Double], scale: Double = 1) {
        self.name = name
        self.help = help
        self.scale = scale
        self.bounds = bounds.map { UInt64(($0 * scale).rounded()) }
        self.buckets = (0...bounds.count).map { _ in ManagedAtomic<UInt64>(0) }
    }

    /// Counts one observation of `value` recorded units.
    @inline(__always)
    public func record(_ value: UInt64) {
        var i = 0
        while i < bounds.count, value > bounds[i] { i += 1 }
        buckets[i].wrappingIncrement(ordering: .relaxed)
        sum.wrappingIncrement(by: value, ordering: .relaxed)
    }

    /// Observations so far.
    public var count: UInt64 { buckets.reduce(0) { $0 &+ $1.load(ordering: .relaxed) } }

    /// Appends the histogram in Prometheus text format (HELP, TYPE, cumulative buckets, sum,
    /// count).
    public func emit(into out: inout [UInt8]) {
        out.append(contentsOf: "# HELP \(name) \(help)\n# TYPE \(name) histogram\n".utf8)
        var cumulative: UInt64 = 0
        for (i, bucket) in buckets.enumerated() {
            cumulative &+= bucket.load(ordering: .relaxed)
            let le = i < bounds.count ? Self.number(Double(bounds[i]) / scale) : "+Inf"
            out.append(contentsOf: "\(name)_bucket{le=\"\(le)\"} \(cumulative)\n".utf8)
        }
        out.append(contentsOf: "\(name)_sum \(Self.number(Double(sum.load(ordering: .relaxed)) / scale))\n".utf8)
        out.append(contentsOf: "\(name)_count \(cumulative)\n".utf8)
    }

    /// A bound or sum as Prometheus prints numbers: integral values without a fraction.
    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
    }
}
