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
