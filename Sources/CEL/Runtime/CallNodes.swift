/// Picks the first overload that accepts the runtime arguments.
@inline(__always)
func dispatch(_ overloads: [Overload], _ args: [Value]) -> Overload? {
    for o in overloads where o.accepts(args) { return o }
    return nil
}

/// The value a strict call returns when an argument is an error or unknown: all unknowns
/// merged, else the first error; nil when every argument is a proper value.
@inline(__always)
func strictFailure(_ args: [Value]) -> Value? {
    var failure: Value?
    for a in args {
        switch a {
        case .unknown:
            if let f = failure, let u = mergeUnknowns(f, a) { failure = u } else { failure = a }
        case .error:
            if failure == nil { failure = a }
        default: continue
        }
    }
    return failure
}

/// `strictFailure` of two arguments, without an array: their unknowns merged, else the first
/// error; nil when both are proper values.
@inline(__always)
func strictFailure(_ a: Value, _ b: Value) -> Value? {
    guard a.isErrorOrUnknown || b.isErrorOrUnknown else { return nil }
    if let u = mergeUnknowns(a, b) { return u }
    return a.isErrorOrUnknown ? a : b
}

/// A call with one argument and one statically chosen strict overload.
final class UnaryCallNode: Interpretable, @unchecked Sendable {
    let arg: Interpretable
    let param: ArgKind
    let fn: @Sendable (Value) -> Value
    let name: String
    init(id: Int64, name: String, arg: Interpretable, param: ArgKind, fn: @escaping @Sendable (Value) -> Value) {
        self.arg = arg; self.param = param; self.fn = fn; self.name = name; super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        let a = arg.eval(&f)
        if a.isErrorOrUnknown { return a }
        guard param.accepts(a) else { return .noSuchOverload(name) }
        return fn(a)
    }
}

/// A call with two arguments and one statically chosen strict overload.
final class BinaryCallNode: Interpretable, @unchecked Sendable {
    let lhs: Interpretable, rhs: Interpretable
    let p: ArgKind, q: ArgKind
    let fn: @Sendable (Value, Value) -> Value
    let name: String
    init(id: Int64, name: String, lhs: Interpretable, rhs: Interpretable, p: ArgKind, q: ArgKind,
         fn: @escaping @Sendable (Value, Value) -> Value) {
        self.lhs = lhs; self.rhs = rhs; self.p = p; self.q = q; self.fn = fn; self.name = name; super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        let a = lhs.eval(&f)
        let b = rhs.eval(&f)
        if let failure = strictFailure(a, b) { return failure }
        guard p.accepts(a), q.accepts(b) else { return .noSuchOverload(name) }
        return fn(a, b)
    }
}

/// A general call: arguments evaluated left to right, overload chosen by runtime kinds.
final class DispatchCallNode: Interpretable, @unchecked Sendable {
    let args: [Interpretable]
    let overloads: [Overload]
    let name: String
    let nonStrict: Bool
    init(id: Int64, name: String, args: [Interpretable], overloads: [Overload]) {
        self.args = args; self.overloads = overloads; self.name = name
        self.nonStrict = overloads.contains { $0.isNonStrict }
        super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        var values: [Value] = []
        values.reserveCapacity(args.count)
        for a in args { values.append(a.eval(&f)) }
        if !nonStrict, let failure = strictFailure(values) { return failure }
        guard let o = dispatch(overloads, values) else {
            if let failure = strictFailure(values) { return failure }
            return .noSuchOverload(name)
        }
        if !o.isNonStrict, let failure = strictFailure(values) { return failure }
        return o.invoke(values, f.activation, budget: &f.budget)
    }
}

/// A call to a function that no library binds.
final class UnboundCallNode: Interpretable, @unchecked Sendable {
    let args: [Interpretable]
    let name: String
    init(id: Int64, name: String, args: [Interpretable]) { self.args = args; self.name = name; super.init(id: id) }
    override func eval(_ f: inout Frame) -> Value {
        var values: [Value] = []
        for a in args { values.append(a.eval(&f)) }
        if let failure = strictFailure(values) { return failure }
        return .err("no such overload: \(name)")
    }
}

/// A one-argument call with several strict overloads, chosen by the argument's kind.
final class UnaryDispatchNode: Interpretable, @unchecked Sendable {
    let arg: Interpretable
    let params: [ArgKind]
    let fns: [UnaryFunction]
    let name: String
    init(id: Int64, name: String, arg: Interpretable, params: [ArgKind], fns: [UnaryFunction]) {
        self.arg = arg; self.params = params; self.fns = fns; self.name = name; super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        let a = arg.eval(&f)
        if a.isErrorOrUnknown { return a }
        for i in params.indices where params[i].accepts(a) { return fns[i].call(a, &f.budget) }
        return .noSuchOverload(name)
    }
}

/// A two-argument call with several strict overloads, chosen by the arguments' kinds.
final class BinaryDispatchNode: Interpretable, @unchecked Sendable {
    let lhs: Interpretable, rhs: Interpretable
    let ps: [ArgKind], qs: [ArgKind]
    let fns: [BinaryFunction]
    let name: String
    init(id: Int64, name: String, lhs: Interpretable, rhs: Interpretable, ps: [ArgKind], qs: [ArgKind],
         fns: [BinaryFunction]) {
        self.lhs = lhs; self.rhs = rhs; self.ps = ps; self.qs = qs; self.fns = fns; self.name = name
        super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        let a = lhs.eval(&f)
        let b = rhs.eval(&f)
        if let failure = strictFailure(a, b) { return failure }
        for i in ps.indices where ps[i].accepts(a) && qs[i].accepts(b) { return fns[i].call(a, b, &f.budget) }
        return .noSuchOverload(name)
    }
}

/// A one-argument implementation in an enum, so that an array of them stores the closure at
/// its own abstraction: an array of bare closures adds a reabstraction thunk to every call.
enum UnaryFunction {
    case plain(@Sendable (Value) -> Value)
    case budgeted(@Sendable (Value, inout EvaluationBudget) -> Value)

    /// The implementation of `overload` when it takes one argument and no activation.
    init?(_ implementation: Overload.Implementation) {
        switch implementation {
        case let .unary(f): self = .plain(f)
        case let .budgetedUnary(f): self = .budgeted(f)
        default: return nil
        }
    }

    @inline(__always)
    func call(_ a: Value, _ budget: inout EvaluationBudget) -> Value {
        switch self {
        case let .plain(f): return f(a)
        case let .budgeted(f): return f(a, &budget)
        }
    }
}

/// A two-argument implementation in an enum (see `UnaryFunction`).
enum BinaryFunction {
    case plain(@Sendable (Value, Value) -> Value)
    case budgeted(@Sendable (Value, Value, inout EvaluationBudget) -> Value)

    /// The implementation of `overload` when it takes two arguments and no activation.
    init?(_ implementation: Overload.Implementation) {
        switch implementation {
        case let .binary(f): self = .plain(f)
        case let .budgetedBinary(f): self = .budgeted(f)
        default: return nil
        }
    }

    @inline(__always)
    func call(_ a: Value, _ b: Value, _ budget: inout EvaluationBudget) -> Value {
        switch self {
        case let .plain(f): return f(a, b)
        case let .budgeted(f): return f(a, b, &budget)
        }
    }
}

/// A call with one argument and one statically chosen strict overload that charges the budget.
final class BudgetedUnaryCallNode: Interpretable, @unchecked Sendable {
    let arg: Interpretable
    let param: ArgKind
    let fn: @Sendable (Value, inout EvaluationBudget) -> Value
    let name: String
    init(id: Int64, name: String, arg: Interpretable, param: ArgKind,
         fn: @escaping @Sendable (Value, inout EvaluationBudget) -> Value) {
        self.arg = arg; self.param = param; self.fn = fn; self.name = name; super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        let a = arg.eval(&f)
        if a.isErrorOrUnknown { return a }
        guard param.accepts(a) else { return .noSuchOverload(name) }
        return fn(a, &f.budget)
    }
}

/// A call with two arguments and one statically chosen strict overload that charges the budget.
final class BudgetedBinaryCallNode: Interpretable, @unchecked Sendable {
    let lhs: Interpretable, rhs: Interpretable
    let p: ArgKind, q: ArgKind
    let fn: @Sendable (Value, Value, inout EvaluationBudget) -> Value
    let name: String
    init(id: Int64, name: String, lhs: Interpretable, rhs: Interpretable, p: ArgKind, q: ArgKind,
         fn: @escaping @Sendable (Value, Value, inout EvaluationBudget) -> Value) {
        self.lhs = lhs; self.rhs = rhs; self.p = p; self.q = q; self.fn = fn; self.name = name; super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        let a = lhs.eval(&f)
        let b = rhs.eval(&f)
        if let failure = strictFailure(a, b) { return failure }
        guard p.accepts(a), q.accepts(b) else { return .noSuchOverload(name) }
        return fn(a, b, &f.budget)
    }
}
