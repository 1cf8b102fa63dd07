import OrderedCollections

/// Evaluates an expression as far as its known inputs allow and returns the residual
/// (cel-go's partial evaluation followed by pruning, in one pass over the tree).
///
/// The host decides what is known: every identifier or dotted name outside a comprehension is
/// handed to `resolve`, which answers with a residual for some prefix of the path (a value, an
/// unknown, or another expression's residual, as when a host inlines a variable) and how many
/// path elements it consumed. Known calls run through the environment's own overloads with the
/// host's activation, so they give exactly what full evaluation gives.
public struct PartialEvaluator {
    /// Resolves a global dotted name: the residual of its first `consumed` elements, or nil
    /// for a name the host does not know (an error value results).
    public typealias Resolver = (_ path: [String]) -> (residual: Residual, consumed: Int)?

    private let calls: KnownCallEvaluator
    private let resolve: Resolver
    /// Comprehension variables in scope, innermost last.
    private var locals: [[String: Residual]] = []

    /// An evaluator over `environment`'s functions; `activation` is what host functions that
    /// read per-request state (a clock) see.
    public init(environment: Environment, activation: Activation, resolve: @escaping Resolver) {
        self.init(calls: KnownCallEvaluator(environment: environment, activation: activation), resolve: resolve)
    }

    /// An evaluator running known calls with `calls`, which evaluators of one request share.
    public init(calls: KnownCallEvaluator, resolve: @escaping Resolver) {
        self.calls = calls
        self.resolve = resolve
    }

    /// The residual of `expr`.
    public mutating func evaluate(_ expr: Expr) -> Residual {
        switch expr.kind {
        case let .constant(c):
            return .value(Planner.value(of: c))
        case let .ident(name):
            if let local = local(name) { return local }
            return resolvePath([name])
        case let .select(operand, field, testOnly):
            if testOnly { return presence(evaluate(operand), field: field) }
            if let path = Planner.path(expr), local(path[0]) == nil { return resolvePath(path) }
            return select(evaluate(operand), field: field)
        case let .call(target, function, args):
            return call(target, function, args)
        case let .list(elements, optionalIndices):
            let items = elements.map { evaluate($0) }
            if optionalIndices.isEmpty, let values = Self.knownValues(items) {
                if let failed = values.first(where: \.isErrorOrUnknown) { return .value(failed) }
                return .value(.list(values))
            }
            return .list(items)
        case let .map(entries):
            let keys = entries.map { evaluate($0.key) }
            let values = entries.map { evaluate($0.value) }
            if !entries.contains(where: \.optional), let k = Self.knownValues(keys), let v = Self.knownValues(values) {
                return .value(Self.makeMap(keys: k, values: v))
            }
            return .map(keys: keys, values: values)
        case let .structure(typeName, _):
            return .value(.err("message construction '\(typeName)' is not supported"))
        case let .comprehension(c):
            return comprehension(c)
        }
    }

    // MARK: names

    private func local(_ name: String) -> Residual? {
        for scope in locals.reversed() { if let r = scope[name] { return r } }
        return nil
    }

    mutating func bind(_ scope: [String: Residual]) { locals.append(scope) }
    mutating func unbind() { locals.removeLast() }

    private func resolvePath(_ path: [String]) -> Residual {
        guard let (residual, consumed) = resolve(path), consumed > 0 else {
            // Names the host does not know may still be the environment's constants, such as the
            // type names in `type(x) == string`, as in full evaluation.
            if let constant = calls.constant(path[0]) {
                return path.dropFirst().reduce(.value(constant)) { select($0, field: $1) }
            }
            return .value(.err("undeclared reference to '\(path.joined(separator: "."))'"))
        }
        var result = residual
        for field in path[min(consumed, path.count)...] { result = select(result, field: field) }
        return result
    }

    private func select(_ operand: Residual, field: String) -> Residual {
        switch operand {
        case let .value(v): return .value(SelectNode.select(v, field: field, key: .string(field)))
        case let .unknown(name): return .unknown(name + "." + field)
        default: return .select(operand, field: field)
        }
    }

    /// `has(operand.field)`. On an unknown operand the test stays undecided; like Cerbos's
    /// filter builder, which turns the remaining presence test into `true`, it reads as true.
    private func presence(_ operand: Residual, field: String) -> Residual {
        guard case let .value(v) = operand else { return .value(.bool(true)) }
        switch v {
        case let .map(m): return .value(.bool(m.contains(.string(field))))
        case let .object(o): return .value(.bool(o.hasField(field)))
        case .optional(nil): return .value(.bool(false))
        case let .optional(inner?): return presence(.value(inner), field: field)
        case .error, .unknown: return operand
        default: return .value(.err("invalid type for field selection"))
        }
    }

    // MARK: calls

    private mutating func call(_ target: Expr?, _ function: String, _ args: [Expr]) -> Residual {
        if target == nil {
            switch (function, args.count) {
            case ("_&&_", 2): return logical(and: true, evaluate(args[0]), evaluate(args[1]))
            case ("_||_", 2): return logical(and: false, evaluate(args[0]), evaluate(args[1]))
            case ("_?_:_", 3):
                let condition = evaluate(args[0])
                switch condition {
                case .value(.bool(true)): return evaluate(args[1])
                case .value(.bool(false)): return evaluate(args[2])
                case let .value(v) where v.isErrorOrUnknown: return condition
                case .value: return .value(.noSuchOverload("_?_:_"))
                default: return .call(function: function, target: nil, args: [condition, evaluate(args[1]), evaluate(args[2])])
                }
            case ("@not_strictly_false", 1), ("__not_strictly_false__", 1):
                let operand = evaluate(args[0])
                guard case let .value(v) = operand else { return operand }
                if case let .bool(b) = v { return .value(.bool(b)) }
                return .value(.bool(true))
            default: break
            }
        }
        let receiver = target.map { evaluate($0) }
        let operands = args.map { evaluate($0) }
        return apply(function, target: receiver, args: operands)
    }

    /// `function` over residual operands (a member call when `target` is set): run when every
    /// operand is known, kept as a call otherwise.
    public mutating func apply(_ function: String, target: Residual?, args: [Residual]) -> Residual {
        let all = (target.map { [$0] } ?? []) + args
        // A strict function with an error argument is that error even beside unknowns (cel-go
        // evaluates the known argument and fails before looking at the unknown one).
        for case let .value(v) in all { if case .error = v { return .value(v) } }
        if let values = Self.knownValues(all) {
            return .value(calls.call(function, member: target != nil, values))
        }
        return .call(function: function, target: target, args: args)
    }

    /// `&&` (`and`) or `||`: a deciding constant wins, a neutral one disappears, and an error
    /// beside an unknown part leaves the unknown part (unknowns take precedence, as in cel-go).
    func logical(and: Bool, _ lhs: Residual, _ rhs: Residual) -> Residual {
        let decisive = !and
        if lhs.knownBool == decisive || rhs.knownBool == decisive { return .value(.bool(decisive)) }
        switch (lhs, rhs) {
        case let (.value(a), .value(b)):
            if case .bool = a { return rhs }
            if case .bool = b { return lhs }
            return .value(a.isErrorOrUnknown ? a : .noSuchOverload(and ? "_&&_" : "_||_"))
        case let (.value(a), _):
            if case .bool = a { return rhs }
            return rhs
        case let (_, .value(b)):
            if case .bool = b { return lhs }
            return lhs
        default:
            return .call(function: and ? "_&&_" : "_||_", target: nil, args: [lhs, rhs])
        }
    }

    // MARK: helpers

    static func knownValues(_ residuals: [Residual]) -> [Value]? {
        var values: [Value] = []
        values.reserveCapacity(residuals.count)
        for r in residuals {
            guard case let .value(v) = r else { return nil }
            values.append(v)
        }
        return values
    }

    static func makeMap(keys: [Value], values: [Value]) -> Value {
        var map = OrderedDictionary<MapKey, Value>()
        for (k, v) in zip(keys, values) {
            if k.isErrorOrUnknown { return k }
            if v.isErrorOrUnknown { return v }
            guard let key = MapKey(k) else { return .err("unsupported key type") }
            if map[key] != nil { return .err("Failed with repeated key") }
            map[key] = v
        }
        return .map(MapValue(map))
    }
}
