/// Summary statistics over a sample of durations in nanoseconds.
struct LatencySummary {
    var count: Int
    var p50: Double
    var p99: Double
    var p999: Double
    var mean: Double

    init(_ samples: [UInt64]) {
        let sorted = samples.sorted()
        count = sorted.count
        func pct(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let i = min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)
            return Double(sorted[max(0, i)])
        }
        p50 = pct(0.50); p99 = pct(0.99); p999 = pct(0.999)
        mean = sorted.isEmpty ? .nan : Double(sorted.reduce(0, +)) / Double(sorted.count)
    }
}
