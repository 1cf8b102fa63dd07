import ArbiterEngine
import Logging

/// Logs the CEL evaluations that hit an `engine.celLimits` bound: which rule of which policy,
/// the expression (an excerpt) and the limit, at warning level. One kind of line for all of
/// them through the shared `LogRateLimiter`, so a client that sends hostile input on every
/// request costs a few lines per interval, each saying how many were dropped before it.
public struct CELLimitLog: EvaluationLimitObserver {
    /// Where the lines go.
    public let logger: Logger
    /// The limiter shared with the server's other per-request warnings.
    public let limiter: LogRateLimiter

    /// A log writing to `logger`, rate-limited by `limiter`.
    public init(logger: Logger, limiter: LogRateLimiter = .shared) {
        self.logger = logger
        self.limiter = limiter
    }

    /// Writes one line for `incident` unless the rate is exceeded.
    public func limitExceeded(_ incident: LimitIncident) {
        let (policy, rule) = Self.split(incident.origin)
        limiter.log(logger, .warning, "CEL evaluation exceeded a limit; the condition counts as an evaluation error", metadata: [
            "policy": "\(policy)",
            "rule": "\(rule)",
            "expression": "\(LogExcerpt.of(incident.expression))",
            "error": "\(incident.message)",
        ])
    }

    /// `policy#rule` into its two parts (the rule part empty when there is none).
    static func split(_ origin: String) -> (policy: Substring, rule: Substring) {
        guard let hash = origin.lastIndex(of: "#") else { return (origin[...], "") }
        return (origin[..<hash], origin[origin.index(after: hash)...])
    }
}
