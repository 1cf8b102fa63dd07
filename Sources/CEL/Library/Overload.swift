/// What an overload accepts in one argument position, checked against runtime values when a
/// call is dispatched dynamically.
public enum ArgKind: Sendable, Hashable {
    /// Any value (`dyn`, type parameters).
    case any
    /// A value of this kind.
    case kind(ValueKind)
    /// An `ObjectValue` whose `celType.name` is this name.
    case object(String)

    /// Whether `value` is acceptable here.
    @inlinable public func accepts(_ value: Value) -> Bool {
        switch self {
        case .any: return true
        case let .kind(k): return value.kind == k
        case let .object(name):
            if case let .object(o) = value { return o.celType.name == name }
            return false
        }
    }
}

/// One overload of a function: its cel-go overload id, the argument kinds (a member overload
/// lists the receiver first) and the implementation.
public struct Overload: Sendable {
    /// The implementation, by arity, so that common calls do not build argument arrays.
    public enum Implementation: Sendable {
        case unary(@Sendable (Value) -> Value)
        case binary(@Sendable (Value, Value) -> Value)
        case nary(@Sendable ([Value]) -> Value)
        /// Receives the activation, for host functions that read per-request state (a clock).
        case withActivation(@Sendable (Activation, [Value]) -> Value)
        /// A function whose allocation or work grows with its input: it admits what it is
        /// about to build against the evaluation's budget first (see `EvaluationBudget`).
        case budgetedUnary(@Sendable (Value, inout EvaluationBudget) -> Value)
        /// A two-argument function charging the evaluation's budget (see `budgetedUnary`).
        case budgetedBinary(@Sendable (Value, Value, inout EvaluationBudget) -> Value)
        /// A function of any arity charging the evaluation's budget (see `budgetedUnary`).
        case budgeted(@Sendable ([Value], inout EvaluationBudget) -> Value)
    }

    /// The cel-go overload id (`add_int64`, `size_string` ...), the link to checker declarations.
    public var id: String
    /// Accepted kinds, receiver first for member overloads.
    public var params: [ArgKind]
    /// True for `target.f(args)` overloads.
    public var isMember: Bool
    /// A non-strict overload also receives error and unknown arguments.
    public var isNonStrict: Bool
    /// The implementation.
    public var implementation: Implementation
    /// Plan-time specialisation: given the arguments that are constants (nil where not), may
    /// return a faster implementation, e.g. `matches` with a constant pattern compiles it once.
    public var specialize: (@Sendable ([Value?]) -> Implementation?)?

    public init(_ id: String, _ params: [ArgKind], isMember: Bool = false, isNonStrict: Bool = false,
                _ implementation: Implementation, specialize: (@Sendable ([Value?]) -> Implementation?)? = nil) {
        self.id = id; self.params = params; self.isMember = isMember; self.isNonStrict = isNonStrict
        self.implementation = implementation; self.specialize = specialize
    }

    /// A one-argument overload.
    public static func unary(_ id: String, _ p: ArgKind, isMember: Bool = false,
                             _ f: @escaping @Sendable (Value) -> Value) -> Overload {
        Overload(id, [p], isMember: isMember, .unary(f))
    }

    /// A two-argument overload.
    public static func binary(_ id: String, _ p: ArgKind, _ q: ArgKind, isMember: Bool = false,
                              _ f: @escaping @Sendable (Value, Value) -> Value) -> Overload {
        Overload(id, [p, q], isMember: isMember, .binary(f))
    }

    /// An overload of any arity.
    public static func nary(_ id: String, _ params: [ArgKind], isMember: Bool = false,
                            _ f: @escaping @Sendable ([Value]) -> Value) -> Overload {
        Overload(id, params, isMember: isMember, .nary(f))
    }

    /// A one-argument overload that charges the evaluation's budget.
    public static func budgetedUnary(_ id: String, _ p: ArgKind, isMember: Bool = false,
                                     _ f: @escaping @Sendable (Value, inout EvaluationBudget) -> Value) -> Overload {
        Overload(id, [p], isMember: isMember, .budgetedUnary(f))
    }

    /// A two-argument overload that charges the evaluation's budget.
    public static func budgetedBinary(_ id: String, _ p: ArgKind, _ q: ArgKind, isMember: Bool = false,
                                      _ f: @escaping @Sendable (Value, Value, inout EvaluationBudget) -> Value) -> Overload {
        Overload(id, [p, q], isMember: isMember, .budgetedBinary(f))
    }

    /// An overload of any arity that charges the evaluation's budget.
    public static func budgeted(_ id: String, _ params: [ArgKind], isMember: Bool = false,
                                _ f: @escaping @Sendable ([Value], inout EvaluationBudget) -> Value) -> Overload {
        Overload(id, params, isMember: isMember, .budgeted(f))
    }

    /// Whether the runtime arguments match this overload's kinds.
    @inlinable public func accepts(_ args: [Value]) -> Bool {
        guard args.count == params.count else { return false }
        for i in 0..<args.count where !params[i].accepts(args[i]) { return false }
        return true
    }

    /// Calls the implementation, charging `budget` when it is a budgeted one.
    @inlinable public func invoke(_ args: [Value], _ activation: Activation, budget: inout EvaluationBudget) -> Value {
        switch implementation {
        case let .unary(f): return f(args[0])
        case let .binary(f): return f(args[0], args[1])
        case let .nary(f): return f(args)
        case let .withActivation(f): return f(activation, args)
        case let .budgetedUnary(f): return f(args[0], &budget)
        case let .budgetedBinary(f): return f(args[0], args[1], &budget)
        case let .budgeted(f): return f(args, &budget)
        }
    }
}

/// All runtime overloads of one function name, as a library contributes them.
public struct FunctionBinding: Sendable {
    /// The function name (`size`, `_+_`, `math.greatest` ...).
    public var name: String
    /// Its overloads; order matters only when several accept the same runtime kinds.
    public var overloads: [Overload]
    public init(_ name: String, _ overloads: [Overload]) { self.name = name; self.overloads = overloads }
}
