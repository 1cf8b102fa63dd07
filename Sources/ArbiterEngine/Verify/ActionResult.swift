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
