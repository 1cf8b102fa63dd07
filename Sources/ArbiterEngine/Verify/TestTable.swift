import CEL

/// One test of a suite (`cerbos.policy.v1.TestTable`): inputs crossed into checks, with expectations.
public struct TestTable: Sendable {
    /// The principals, resources, actions and aux data a test checks.
    public struct Input: Sendable {
        /// Principal fixture names.
        public var principals: [String] = []
        /// Principal group names.
        public var principalGroups: [String] = []
        /// Resource fixture names.
        public var resources: [String] = []
        /// Resource group names.
        public var resourceGroups: [String] = []
        /// Actions to check, in order.
        public var actions: [String] = []
        /// Aux data fixture name, empty for none.
        public var auxData: String = ""
        /// Creates an empty input.
        public init() {}
    }

    /// An expected output entry (`src` and value).
    public struct ExpectedOutput: Sendable {
        /// `<policy key>#<rule name>`.
        public var src: String
        /// The expected JSON-shaped value.
        public var value: Value
        /// Creates an expected output.
        public init(src: String, value: Value) {
            self.src = src
            self.value = value
        }
    }

    /// Expected effects and outputs for some principal/resource pairs.
    public struct Expectation: Sendable {
        /// Principal names (from `principal`, `principals`).
        public var principals: [String] = []
        /// Principal group names.
        public var principalGroups: [String] = []
        /// Resource names (from `resource`, `resources`).
        public var resources: [String] = []
        /// Resource group names.
        public var resourceGroups: [String] = []
        /// Expected effect per action; unlisted input actions are expected to be denied.
        public var actions: [(action: String, effect: Effect)] = []
        /// Expected outputs per action.
        public var outputs: [(action: String, expected: [ExpectedOutput])] = []
        /// Creates an empty expectation.
        public init() {}
    }

    /// Test name, unique within the suite.
    public var name: String
    /// Free-text description.
    public var description: String = ""
    /// Skips the test.
    public var skip: Bool = false
    /// Why the test is skipped.
    public var skipReason: String = ""
    /// What to check.
    public var input = Input()
    /// What should come out.
    public var expected: [Expectation] = []
    /// Options replacing the suite's options for this test.
    public var options: TestOptions?

    /// Creates a test.
    public init(name: String) {
        self.name = name
    }
}
