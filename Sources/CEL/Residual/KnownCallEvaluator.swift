/// Runs one function or operator on known argument values, exactly as a program would: the
/// call is planned once per function, arity and call style as `f(@arg0, ...)` over argument
/// slots appended to the host's layout, so overload dispatch, operators and host functions that
/// read the activation (a request clock) behave as in full evaluation.
/// A class so that the partial evaluators of one request share the planned calls; like the
/// request it serves, it belongs to one thread.
public final class KnownCallEvaluator {
    private let environment: Environment
    private var base: Activation
    private let layout: VariableLayout
    private var programs: [CallKey: Program] = [:]

    private struct CallKey: Hashable {
        let function: String
        let arity: Int
        let member: Bool
    }
    private var scratch: Activation
    /// Cost units the host request's calls may still spend together
    /// (`Program.evaluate(activationAt:requestBudget:)`); `Int.max` leaves each call only its
    /// own cost limit. The host sets it per request.
    public var requestBudget = Int.max

    /// The most arguments (receiver included) a call can have here; CEL functions take a few.
    static let maximumArity = 16

    /// An evaluator for `environment`'s functions; `activation` is what host functions that
    /// read per-request state see.
    public init(environment: Environment, activation: Activation) {
        self.environment = environment
        base = activation
        let names = activation.layout.names + (0..<Self.maximumArity).map { "@arg\($0)" }
        layout = VariableLayout(names: names)
        scratch = Activation(layout: layout)
        rebind(activation)
    }

    /// Runs later calls against `activation` (laid out as the first one), keeping the calls
    /// planned so far: a host reuses one evaluator per thread across requests.
    public func rebind(_ activation: Activation) {
        precondition(activation.layout === base.layout, "a known-call evaluator serves one layout")
        base = activation
        for (i, value) in activation.slots.enumerated() { scratch.set(slot: i, value) }
        scratch.extra = activation.extra
    }

    /// The environment's constant `name` (a type name such as `string`, an enum value), if any.
    func constant(_ name: String) -> Value? { environment.constants[name] }

    /// Whether this evaluator runs against activations of `layout`.
    public func serves(_ layout: VariableLayout) -> Bool { base.layout === layout }

    /// `function(args)`, or `args[0].function(args[1...])` when `member`.
    func call(_ function: String, member: Bool, _ args: [Value]) -> Value {
        guard args.count <= Self.maximumArity else { return .err("too many arguments to '\(function)'") }
        let key = CallKey(function: function, arity: args.count, member: member)
        let program: Program
        if let cached = programs[key] {
            program = cached
        } else {
            program = plan(function, member: member, arity: args.count)
            programs[key] = program
        }
        let first = base.layout.count
        for (i, value) in args.enumerated() { scratch.set(slot: first + i, value) }
        let activation = scratch
        return withUnsafePointer(to: activation) { program.evaluate(activationAt: $0, requestBudget: &requestBudget) }
    }

    private func plan(_ function: String, member: Bool, arity: Int) -> Program {
        var nextID: Int64 = 1
        func ident(_ i: Int) -> Expr {
            nextID += 1
            return Expr(id: nextID, .ident("@arg\(i)"))
        }
        let args = (0..<arity).map(ident)
        let call: Expr
        if member, let target = args.first {
            call = Expr(id: 1, .call(target: target, function: function, args: Array(args.dropFirst())))
        } else {
            call = Expr(id: 1, .call(target: nil, function: function, args: args))
        }
        var planner = Planner(functions: environment.functions, constants: environment.constants, layout: layout,
                              container: environment.container, limits: environment.limits)
        let root = planner.plan(call)
        return Program(root: root, localCount: planner.localCount, layout: layout, limits: environment.limits)
    }
}
