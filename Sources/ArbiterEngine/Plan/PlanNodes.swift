import CEL

/// The logical nodes a plan is assembled from, as residuals: `and`/`or` over any number of
/// operands (Cerbos's logical operations are n-ary) and `not`.
enum PlanNodes {
    static func and(_ nodes: [Residual]) -> Residual { .call(function: "_&&_", target: nil, args: nodes) }
    static func or(_ nodes: [Residual]) -> Residual { .call(function: "_||_", target: nil, args: nodes) }

    /// `not node`, except that a `not` loses its negation instead of gaining a second one
    /// (Cerbos's `invertNodeBooleanValue`).
    static func not(_ node: Residual) -> Residual {
        if case let .call("!_", nil, args) = node {
            return args.count == 1 ? args[0] : and(args)
        }
        return .call(function: "!_", target: nil, args: [node])
    }

    /// `lhs` joined to `rhs` by `and` or `or`, nil standing for "nothing yet".
    static func join(_ lhs: Residual?, _ rhs: Residual, and isAnd: Bool) -> Residual {
        guard let lhs else { return rhs }
        return isAnd ? and([lhs, rhs]) : or([lhs, rhs])
    }
}
