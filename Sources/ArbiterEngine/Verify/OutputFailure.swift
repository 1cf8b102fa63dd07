import CEL

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
