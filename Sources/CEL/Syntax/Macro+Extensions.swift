/// Macros of the cel-go extension libraries, grouped as cel-go groups them,
/// so an environment picks the ones it offers.
extension Macro {
    /// ext.Bindings: `cel.bind(v, init, body)`.
    public static let bindings: [Macro] = [
        .receiver("bind", argCount: 3) { f, t, a in try expandBind(f, t, a) },
    ]

    /// ext.TwoVarComprehensions: `all`, `exists`, `existsOne`/`exists_one` with (index|key, value),
    /// `transformList`, `transformMap`, `transformMapEntry` with and without a filter.
    public static let twoVariableComprehensions: [Macro] = [
        .receiver("all", argCount: 3) { f, t, a in try expandTwoVariableQuantifier(.all, f, t, a) },
        .receiver("exists", argCount: 3) { f, t, a in try expandTwoVariableQuantifier(.exists, f, t, a) },
        .receiver("existsOne", argCount: 3) { f, t, a in try expandTwoVariableQuantifier(.existsOne, f, t, a) },
        .receiver("exists_one", argCount: 3) { f, t, a in try expandTwoVariableQuantifier(.existsOne, f, t, a) },
        .receiver("transformList", argCount: 3) { f, t, a in try expandTransform(.list, f, t, a) },
        .receiver("transformList", argCount: 4) { f, t, a in try expandTransform(.list, f, t, a) },
        .receiver("transformMap", argCount: 3) { f, t, a in try expandTransform(.map, f, t, a) },
        .receiver("transformMap", argCount: 4) { f, t, a in try expandTransform(.map, f, t, a) },
        .receiver("transformMapEntry", argCount: 3) { f, t, a in try expandTransform(.mapEntry, f, t, a) },
        .receiver("transformMapEntry", argCount: 4) { f, t, a in try expandTransform(.mapEntry, f, t, a) },
    ]

    /// Optional types: `opt.optMap(v, expr)` and `opt.optFlatMap(v, expr)`.
    public static let optionals: [Macro] = [
        .receiver("optMap", argCount: 2) { f, t, a in try expandOptionalMap(flat: false, f, t, a) },
        .receiver("optFlatMap", argCount: 2) { f, t, a in try expandOptionalMap(flat: true, f, t, a) },
    ]

    /// ext.Lists: `list.sortBy(e, key)`.
    public static let lists: [Macro] = [
        .receiver("sortBy", argCount: 2) { f, t, a in try expandSortBy(f, t, a) },
    ]

    /// ext.Math: `math.greatest(...)` and `math.least(...)`.
    public static let math: [Macro] = [
        .receiverVarargs("greatest") { f, t, a in try expandMathExtremum(function: "math.@max", display: "math.greatest()", f, t, a) },
        .receiverVarargs("least") { f, t, a in try expandMathExtremum(function: "math.@min", display: "math.least()", f, t, a) },
    ]

    /// Newer cel-go (ext.Math with bitwise macros): `math.bitAnd/bitOr/bitXor(...)` with any
    /// number of arguments become `math.@bitAnd/@bitOr/@bitXor`. Not part of `all`: without it
    /// the two-argument forms stay plain calls to `math.bitAnd` etc., which is what the
    /// conformance suite uses.
    public static let mathBitwise: [Macro] = ["bitAnd", "bitOr", "bitXor"].map { name in
        .receiverVarargs(name) { f, t, a in
            try expandMathBitwise(function: "math.@\(name)", display: "math.@\(name)()", f, t, a)
        }
    }

    /// The standard macros and every extension group above.
    public static var all: [Macro] {
        standard + bindings + twoVariableComprehensions + optionals + lists + math
    }

    /// Whether `target` is the namespace identifier `name` (`cel`, `math`).
    static func isNamespace(_ target: Expr?, _ name: String) -> Bool {
        if let target, case .ident(name) = target.kind { return true }
        return false
    }

    /// `cel.bind(v, init, body)` is a comprehension over an empty list whose accumulator is `v`.
    static func expandBind(_ f: MacroExprFactory, _ target: Expr?, _ args: [Expr]) throws -> Expr? {
        guard isNamespace(target, "cel") else { return nil }
        guard let name = f.identName(args[0]) else {
            throw f.error("cel.bind() variable names must be simple identifiers", at: args[0].id)
        }
        return f.newComprehension(iterRange: f.newList(), iterVar: "#unused", accuVar: name, accuInit: args[1],
                                  loopCondition: f.newLiteral(.bool(false)), loopStep: f.newIdent(name),
                                  result: args[2])
    }

    /// The two iteration variables, checked as cel-go checks them.
    private static func twoVariables(_ f: MacroExprFactory, _ args: [Expr], _ macro: String) throws -> (String, String) {
        guard let first = f.identName(args[0]) else {
            throw f.error("argument must be a simple name", at: args[0].id)
        }
        guard let second = f.identName(args[1]) else {
            throw f.error("argument must be a simple name", at: args[1].id)
        }
        if first == second {
            throw f.error("\(macro)() second variable must be different from the first variable", at: args[1].id)
        }
        if first == MacroExprFactory.accumulatorName {
            throw f.error("\(macro)() first variable name cannot be \(first)", at: args[0].id)
        }
        if second == MacroExprFactory.accumulatorName {
            throw f.error("\(macro)() second variable name cannot be \(second)", at: args[1].id)
        }
        return (first, second)
    }

    static func expandTwoVariableQuantifier(_ kind: Quantifier, _ f: MacroExprFactory, _ target: Expr?,
                                            _ args: [Expr]) throws -> Expr? {
        guard let target else { return nil }
        let name: String
        switch kind {
        case .all: name = "all"
        case .exists: name = "exists"
        case .existsOne: name = "existsOne"
        }
        let (first, second) = try twoVariables(f, args, name)
        let parts = quantifierParts(kind, f, predicate: args[2])
        return f.newComprehension(iterRange: target, iterVar: first, iterVar2: second,
                                  accuVar: MacroExprFactory.accumulatorName, accuInit: parts.initial,
                                  loopCondition: parts.condition, loopStep: parts.step, result: parts.result)
    }

    enum TransformKind {
        case list, map, mapEntry
    }

    /// `transformList(i, v, [filter,] e)`, `transformMap(k, v, [filter,] e)`,
    /// `transformMapEntry(k, v, [filter,] e)`.
    static func expandTransform(_ kind: TransformKind, _ f: MacroExprFactory, _ target: Expr?,
                                _ args: [Expr]) throws -> Expr? {
        guard let target else { return nil }
        let name: String
        switch kind {
        case .list: name = "transformList"
        case .map: name = "transformMap"
        case .mapEntry: name = "transformMapEntry"
        }
        let (first, second) = try twoVariables(f, args, name)
        let filter: Expr? = args.count == 4 ? args[2] : nil
        let transform = args[args.count - 1]
        let initial: Expr
        var step: Expr
        switch kind {
        case .list:
            initial = f.newList()
            step = f.newCall("_+_", f.newAccuIdent(), f.newList([transform]))
        case .map:
            initial = f.newMap()
            step = f.newCall("cel.@mapInsert", f.newAccuIdent(), f.newIdent(first), transform)
        case .mapEntry:
            initial = f.newMap()
            step = f.newCall("cel.@mapInsert", f.newAccuIdent(), transform)
        }
        if let filter {
            step = f.newCall("_?_:_", filter, step, f.newAccuIdent())
        }
        return f.newComprehension(iterRange: target, iterVar: first, iterVar2: second,
                                  accuVar: MacroExprFactory.accumulatorName, accuInit: initial,
                                  loopCondition: f.newLiteral(.bool(true)), loopStep: step,
                                  result: f.newAccuIdent())
    }

    /// `o.optMap(v, e)` is `o.hasValue() ? optional.of(cel.bind(v, o.value(), e)) : optional.none()`;
    /// `optFlatMap` leaves out the `optional.of`.
    static func expandOptionalMap(flat: Bool, _ f: MacroExprFactory, _ target: Expr?, _ args: [Expr]) throws -> Expr? {
        guard let target else { return nil }
        let macro = flat ? "optFlatMap" : "optMap"
        guard let name = f.identName(args[0]) else {
            throw f.error("\(macro)() variable name must be a simple identifier", at: args[0].id)
        }
        let binding = f.newComprehension(
            iterRange: f.newList(), iterVar: "#unused", accuVar: name,
            accuInit: f.newMemberCall("value", target: f.copy(target)),
            loopCondition: f.newLiteral(.bool(false)), loopStep: f.newIdent(name), result: args[1])
        return f.newCall("_?_:_",
                         f.newMemberCall("hasValue", target: target),
                         flat ? binding : f.newCall("optional.of", binding),
                         f.newCall("optional.none"))
    }

    /// `l.sortBy(e, key)` binds the list once and sorts it by the keys `map` computes.
    static func expandSortBy(_ f: MacroExprFactory, _ target: Expr?, _ args: [Expr]) throws -> Expr? {
        guard let target else { return nil }
        switch target.kind {
        case .list, .select, .ident, .comprehension, .call: break
        default:
            throw f.error("sortBy can only be applied to a list, identifier, comprehension, call or select expression",
                          at: target.id)
        }
        let inputName = "@__sortBy_input__"
        guard let keys = try expandMap(f, f.newIdent(inputName), args) else { return nil }
        let sorted = f.newMemberCall("@sortByAssociatedKeys", target: f.newIdent(inputName), keys)
        return f.newComprehension(iterRange: f.newList(), iterVar: "#unused", accuVar: inputName, accuInit: target,
                                  loopCondition: f.newLiteral(.bool(false)), loopStep: f.newIdent(inputName),
                                  result: sorted)
    }

    /// `math.greatest(...)`/`math.least(...)` become `math.@max`/`math.@min` over the arguments,
    /// or over a list of them when there are more than two.
    static func expandMathExtremum(function: String, display: String, _ f: MacroExprFactory, _ target: Expr?,
                                   _ args: [Expr]) throws -> Expr? {
        guard isNamespace(target, "math"), let target else { return nil }
        switch args.count {
        case 0:
            throw f.error("\(display) requires at least one argument", at: target.id)
        case 1:
            if isNumericListLiteral(args[0]) || isNumericArgument(args[0]) {
                return f.newCall(function, args[0])
            }
            throw f.error("\(display) invalid single argument value", at: args[0].id)
        default:
            for arg in args where !isNumericArgument(arg) {
                throw f.error("\(display) simple literal arguments must be numeric", at: arg.id)
            }
            return args.count == 2 ? f.newCall(function, args: args) : f.newCall(function, f.newList(args))
        }
    }

    static func expandMathBitwise(function: String, display: String, _ f: MacroExprFactory, _ target: Expr?,
                                  _ args: [Expr]) throws -> Expr? {
        guard isNamespace(target, "math"), let target else { return nil }
        switch args.count {
        case 0:
            throw f.error("\(display) requires at least one argument", at: target.id)
        case 1:
            if isNumericListLiteral(args[0]) || isNumericArgument(args[0]) {
                return f.newCall(function, f.newList([args[0]]))
            }
            throw f.error("\(display) invalid single argument value", at: args[0].id)
        default:
            for arg in args where !isNumericArgument(arg) {
                throw f.error("\(display) simple literal arguments must be numeric", at: arg.id)
            }
            return args.count == 2 ? f.newCall(function, args: args) : f.newCall(function, f.newList(args))
        }
    }

    /// A literal that is a number, or any non-literal expression (its type is known later).
    private static func isNumericArgument(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .constant(.int), .constant(.uint), .constant(.double): return true
        case .constant, .list, .map, .structure: return false
        default: return true
        }
    }

    private static func isNumericListLiteral(_ expr: Expr) -> Bool {
        guard case .list(let elements, _) = expr.kind, !elements.isEmpty else { return false }
        return elements.allSatisfy(isNumericArgument)
    }
}
