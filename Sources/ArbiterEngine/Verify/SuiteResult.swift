/// The results of one suite file.
public struct SuiteResult: Sendable {
    /// Suite file, relative to the tests directory.
    public var file: String
    /// Suite name (`Unknown` when the file could not be read).
    public var name: String
    /// Suite description.
    public var description: String
    /// Counts over the suite.
    public var summary: TestSummary
    /// Per-test results.
    public var testCases: [TestCaseResult]
    /// Why the suite could not run, when it could not.
    public var error: String?
    /// Why the suite was skipped.
    public var skipReason: String?
}
