/// Told when a condition, variable or output expression of a request hits an
/// `engine.celLimits` bound. The daemon logs these (rate-limited) with the policy and rule, so
/// an operator learns which rule a hostile or unlucky input drove into a limit; the decision
/// itself treats the error as any other evaluation error.
///
/// Called on the deciding thread, on the rare path only; an implementation must not block.
public protocol EvaluationLimitObserver: Sendable {
    /// One expression of one request exceeded a limit.
    func limitExceeded(_ incident: LimitIncident)
}

/// Which expression hit which limit, and where it is written.
public struct LimitIncident: Sendable, Hashable {
    /// The policy key and rule (`resource.leave_request.vdefault#approve-rule`), or the policy
    /// key and derived role, whose condition (or one of whose variables) was being evaluated.
    public let origin: String
    /// The expression as written in the policy.
    public let expression: String
    /// The CEL error, naming the limit.
    public let message: String

    /// An incident.
    public init(origin: String, expression: String, message: String) {
        self.origin = origin
        self.expression = expression
        self.message = message
    }
}
