/// Counts of action results and the worst of them.
public struct TestSummary: Sendable {
    /// The most severe result.
    public var overall: TestResultKind
    /// Number of checked actions.
    public var testsCount: Int
    /// How many actions ended with each kind (only kinds that occurred).
    public var counts: [TestResultKind: Int]

    /// A summary with nothing counted.
    public init(overall: TestResultKind = .skipped, testsCount: Int = 0, counts: [TestResultKind: Int] = [:]) {
        self.overall = overall
        self.testsCount = testsCount
        self.counts = counts
    }

    mutating func add(_ kind: TestResultKind, count: Int = 1) {
        overall = max(overall, kind)
        testsCount += count
        counts[kind, default: 0] += count
    }

    mutating func add(_ other: TestSummary) {
        overall = max(overall, other.overall)
        testsCount += other.testsCount
        for (k, n) in other.counts { counts[k, default: 0] += n }
    }
}
