/// The results of a whole `compile` run.
public struct TestResults: Sendable {
    /// Suites in file order.
    public var suites: [SuiteResult]
    /// Counts over all suites.
    public var summary: TestSummary

    /// Results over `suites`, summarised.
    public init(suites: [SuiteResult]) {
        self.suites = suites
        var summary = TestSummary()
        for s in suites { summary.add(s.summary) }
        self.summary = summary
    }

    /// True when nothing failed or errored.
    public var succeeded: Bool { summary.overall <= .passed }
}
