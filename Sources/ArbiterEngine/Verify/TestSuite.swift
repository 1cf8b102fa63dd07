import ArbiterYAML
import CEL

/// A Cerbos policy test suite (`cerbos.policy.v1.TestSuite`), decoded from a `*_test.yaml` file.
public struct TestSuite: Sendable {
    /// The file the suite came from, relative to the tests directory.
    public var file: String
    /// Suite name.
    public var name: String
    /// Free-text description.
    public var description: String
    /// Skips every test of the suite.
    public var skip: Bool
    /// Why the suite is skipped.
    public var skipReason: String
    /// Inline principals; they override the shared fixtures of the same name.
    public var principals: [String: Principal]
    /// Inline resources; they override the shared fixtures of the same name.
    public var resources: [String: Resource]
    /// Inline aux data; overrides the shared fixtures of the same name.
    public var auxData: [String: AuxData]
    /// Inline principal groups.
    public var principalGroups: [String: [String]]
    /// Inline resource groups.
    public var resourceGroups: [String: [String]]
    /// Suite-wide options; a test's own `options` replace them.
    public var options: TestOptions?
    /// The tests, in file order.
    public var tests: [TestTable]

    /// Creates an empty suite for `file`.
    public init(file: String, name: String = "", description: String = "") {
        self.file = file
        self.name = name
        self.description = description
        skip = false
        skipReason = ""
        principals = [:]
        resources = [:]
        auxData = [:]
        principalGroups = [:]
        resourceGroups = [:]
        options = nil
        tests = []
    }
}
