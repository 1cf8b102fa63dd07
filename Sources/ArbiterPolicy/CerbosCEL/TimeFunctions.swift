import CEL

/// `now()` and `timeSince(ts)` / `ts.timeSince()`, both reading the one clock of the request
/// (the `EvaluationBindings.nowVariable` slot), so every call in a request agrees.
enum TimeFunctions {
    static func clock(_ activation: Activation, _ function: String) -> Value {
        if let now = activation[EvaluationBindings.nowVariable], case .timestamp = now { return now }
        return .err("\(function)() called but the request time is not in the activation")
    }

    /// `now - ts`; like Go's `time.Time.Sub`, a result beyond the int64-nanosecond range saturates.
    static func since(_ activation: Activation, _ args: [Value]) -> Value {
        guard args.count == 1 else { return .noSuchOverload("timeSince") }
        guard case let .timestamp(ts) = args[0] else {
            return args[0].isErrorOrUnknown ? args[0] : .noSuchOverload("timeSince")
        }
        guard case let .timestamp(now) = clock(activation, "timeSince") else { return clock(activation, "timeSince") }
        if let d = now.difference(ts) { return .duration(d) }
        // Int64.max and Int64.min nanoseconds, split into seconds and nanoseconds.
        return .duration(now < ts ? CELDuration(seconds: -9_223_372_036, nanos: -854_775_808)
                                  : CELDuration(seconds: 9_223_372_036, nanos: 854_775_807))
    }

    static var functions: [FunctionBinding] {
        let ts = ArgKind.kind(.timestamp)
        return [
            FunctionBinding("now", [Overload("now", [], .withActivation { activation, _ in clock(activation, "now") })]),
            FunctionBinding("timeSince", [
                Overload("timeSince_overload", [ts], .withActivation { since($0, $1) }),
                Overload("timeSince_member_overload", [ts], isMember: true, .withActivation { since($0, $1) }),
            ]),
        ]
    }

    static var declarations: [FunctionDecl] {
        [
            FunctionDecl("now", OverloadDecl("now", [], .timestamp)),
            FunctionDecl("timeSince", OverloadDecl("timeSince_overload", [.timestamp], .duration),
                         .member("timeSince_member_overload", [.timestamp], .duration)),
        ]
    }
}
