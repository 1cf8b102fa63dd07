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
        if a.isErrorOrUnknown || b.isErrorOrUnknown {
            if let u = mergeUnknowns(a, b) { return u }
            return a.isErrorOrUnknown ? a : b
        }
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
        return o.invoke(values, f.activation)
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
        for i in params.indices where params[i].accepts(a) { return fns[i].call(a) }
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
        if a.isErrorOrUnknown || b.isErrorOrUnknown {
            if let u = mergeUnknowns(a, b) { return u }
            return a.isErrorOrUnknown ? a : b
        }
        for i in ps.indices where ps[i].accepts(a) && qs[i].accepts(b) { return fns[i].call(a, b) }
        return .noSuchOverload(name)
    }
}

/// A one-argument implementation in a struct, so that an array of them stores the closure at
/// its own abstraction: an array of bare closures adds a reabstraction thunk to every call.
struct UnaryFunction {
    let call: @Sendable (Value) -> Value
}

/// A two-argument implementation in a struct (see `UnaryFunction`).
struct BinaryFunction {
    let call: @Sendable (Value, Value) -> Value
}
