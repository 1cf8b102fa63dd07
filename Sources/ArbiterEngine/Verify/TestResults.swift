import CEL

/// The outcome kind of one checked action, ordered from least to most severe (Cerbos's `Result`).
public enum TestResultKind: Int, Sendable, Hashable, Comparable, CaseIterable {
    case skipped = 1
    case passed
    case failed
    case errored

    /// The protobuf enum name, such as `RESULT_PASSED`.
    public var protoName: String {
        switch self {
        case .skipped: return "RESULT_SKIPPED"
        case .passed: return "RESULT_PASSED"
        case .failed: return "RESULT_FAILED"
        case .errored: return "RESULT_ERRORED"
        }
    }

    /// The kind named `name` (`RESULT_PASSED` …).
    public init?(protoName name: String) {
        guard let kind = Self.allCases.first(where: { $0.protoName == name }) else { return nil }
        self = kind
    }

    public static func < (a: TestResultKind, b: TestResultKind) -> Bool { a.rawValue < b.rawValue }
}

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

/// An output expectation that was not met.
public struct OutputFailure: Sendable {
    /// How it failed.
    public enum Problem: Sendable {
        /// The rule produced a different value.
        case mismatched(expected: Value, actual: Value)
        /// No output with this `src` was produced.
        case missing(expected: Value)
        /// The output expression failed.
        case errored(expected: Value, error: String)
    }
    /// The expected output's `src`.
    public var src: String
    /// What went wrong.
    public var problem: Problem
}

/// The result of one action for one principal and resource.
public struct ActionResult: Sendable {
    /// The detail of a result.
    public enum Details: Sendable {
        /// Effect as expected and every expected output matched.
        case passed(effect: Effect, outputs: [OutputEntry])
        /// The effect differed, or an output expectation was not met.
        case failed(expected: Effect, actual: Effect, outputs: [OutputFailure])
        /// The check could not be judged.
        case errored(String)
        /// Not run.
        case skipped(reason: String)
    }
    /// The action.
    public var action: String
    /// What happened.
    public var details: Details

    /// The kind of `details`.
    public var kind: TestResultKind {
        switch details {
        case .passed: return .passed
        case .failed: return .failed
        case .errored: return .errored
        case .skipped: return .skipped
        }
    }
}

/// The results of one test, nested principal → resource → action as in Cerbos's `TestResults`.
public struct TestCaseResult: Sendable {
    /// Results for one resource.
    public struct ResourceResults: Sendable {
        /// Resource fixture name.
        public var name: String
        /// One entry per input action, in input order.
        public var actions: [ActionResult]
    }
    /// Results for one principal.
    public struct PrincipalResults: Sendable {
        /// Principal fixture name.
        public var name: String
        /// One entry per input resource, in input order.
        public var resources: [ResourceResults]
    }
    /// Test name.
    public var name: String
    /// One entry per input principal, in input order.
    public var principals: [PrincipalResults]
}

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
