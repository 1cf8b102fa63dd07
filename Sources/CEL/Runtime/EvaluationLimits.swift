/// Bounds on the work and memory of one evaluation, in the spirit of cel-go's cost limit: a
/// policy author writes `lists.range(n)` or a comprehension over a request list, and the
/// request picks `n`. Every function whose allocation or work grows with its input checks
/// these first; going over yields an error value (the condition fails like any other
/// evaluation error), never a crash.
///
/// Environments carry limits (`Environment.with(limits:)`), and planned programs keep the
/// limits of the environment that planned them.
public struct EvaluationLimits: Sendable, Hashable {
    /// Cost units one evaluation may spend (see `EvaluationBudget` for what costs what).
    public var costLimit: Int
    /// Elements of a list, or entries of a map, that one operation may build.
    public var maxListSize: Int
    /// UTF-8 bytes of a string, or bytes of a bytes value, that one operation may build.
    public var maxStringSize: Int
    /// Bytes of text a regular expression may be run over.
    public var maxRegexInputSize: Int
    /// Cost units all the evaluations of one host request may spend together, for hosts that
    /// run many evaluations per request and give them one budget
    /// (`Program.evaluate(activationAt:requestBudget:)`); each evaluation stays under
    /// `costLimit` too.
    public var requestCostLimit: Int

    /// Limits no conformance case and no realistic policy reaches: a million cost units is a
    /// million comprehension iterations (cel-go and Kubernetes use the same per-expression
    /// figure), a list of a million elements, 16 MiB of text (four times the largest request
    /// frame the daemon accepts by default), regular expressions over 1 MiB; a request may
    /// spend ten evaluations' worth.
    public static let `default` = EvaluationLimits(costLimit: 1_000_000, maxListSize: 1_000_000,
                                                   maxStringSize: 16 << 20, maxRegexInputSize: 1 << 20,
                                                   requestCostLimit: 10_000_000)

    public init(costLimit: Int, maxListSize: Int, maxStringSize: Int, maxRegexInputSize: Int,
                requestCostLimit: Int = 10_000_000) {
        self.costLimit = costLimit; self.maxListSize = maxListSize
        self.maxStringSize = maxStringSize; self.maxRegexInputSize = maxRegexInputSize
        self.requestCostLimit = requestCostLimit
    }

    /// Each limit with the name a host shows it under, for validation messages.
    public var named: [(name: String, value: Int)] {
        [("costLimit", costLimit), ("maxListSize", maxListSize), ("maxStringSize", maxStringSize),
         ("maxRegexInputSize", maxRegexInputSize), ("requestCostLimit", requestCostLimit)]
    }

    /// Problems with the limits (each must be at least 1), empty when valid; `prefix` goes
    /// before each name (`engine.cel.`).
    public func problems(prefix: String = "") -> [String] {
        named.filter { $0.value < 1 }.map { "\(prefix)\($0.name) must be at least 1, got \($0.value)" }
    }
}
