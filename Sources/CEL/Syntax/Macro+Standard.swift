/// The standard macros of cel-spec, expanded into the same comprehensions cel-go produces.
extension Macro {
    /// `has`, `all`, `exists`, `exists_one`, `map` (2 and 3 arguments) and `filter`.
    public static let standard: [Macro] = [
        .global("has", argCount: 1) { f, t, a in try expandHas(f, t, a) },
        .receiver("all", argCount: 2) { f, t, a in try expandQuantifier(.all, f, t, a) },
        .receiver("exists", argCount: 2) { f, t, a in try expandQuantifier(.exists, f, t, a) },
        .receiver("exists_one", argCount: 2) { f, t, a in try expandQuantifier(.existsOne, f, t, a) },
        .receiver("map", argCount: 2) { f, t, a in try expandMap(f, t, a) },
        .receiver("map", argCount: 3) { f, t, a in try expandMap(f, t, a) },
        .receiver("filter", argCount: 2) { f, t, a in try expandFilter(f, t, a) },
    ]

    /// The kinds of boolean folds over a range.
    enum Quantifier {
        case all, exists, existsOne
    }

    /// `has(a.f)` becomes the presence test `a.f~test-only`.
    static func expandHas(_ factory: MacroExprFactory, _ target: Expr?, _ args: [Expr]) throws -> Expr? {
        guard case let .select(operand, field, false) = args[0].kind else {
            throw factory.error("invalid argument to has() macro", at: args[0].id)
        }
        return factory.newPresenceTest(operand, field: field)
    }

    /// The loop body shared by the one- and two-variable quantifiers.
    static func quantifierParts(_ kind: Quantifier, _ f: MacroExprFactory, predicate: Expr)
        -> (initial: Expr, condition: Expr, step: Expr, result: Expr) {
        switch kind {
        case .all:
            return (f.newLiteral(.bool(true)),
                    f.newCall("@not_strictly_false", f.newAccuIdent()),
                    f.newCall("_&&_", f.newAccuIdent(), predicate),
                    f.newAccuIdent())
        case .exists:
            return (f.newLiteral(.bool(false)),
                    f.newCall("@not_strictly_false", f.newCall("!_", f.newAccuIdent())),
                    f.newCall("_||_", f.newAccuIdent(), predicate),
                    f.newAccuIdent())
        case .existsOne:
            return (f.newLiteral(.int(0)),
                    f.newLiteral(.bool(true)),
                    f.newCall("_?_:_", predicate, f.newCall("_+_", f.newAccuIdent(), f.newLiteral(.int(1))),
                              f.newAccuIdent()),
                    f.newCall("_==_", f.newAccuIdent(), f.newLiteral(.int(1))))
        }
    }

    static func expandQuantifier(_ kind: Quantifier, _ f: MacroExprFactory, _ target: Expr?, _ args: [Expr]) throws -> Expr? {
        guard let target else { return nil }
        let variable = try iterationVariable(f, args[0], message: "argument must be a simple name")
        let parts = quantifierParts(kind, f, predicate: args[1])
        return f.newComprehension(iterRange: target, iterVar: variable, accuVar: MacroExprFactory.accumulatorName,
                                  accuInit: parts.initial, loopCondition: parts.condition, loopStep: parts.step,
                                  result: parts.result)
    }

    /// `r.map(x, t)` and `r.map(x, p, t)`.
    static func expandMap(_ f: MacroExprFactory, _ target: Expr?, _ args: [Expr]) throws -> Expr? {
        guard let target else { return nil }
        let variable = try iterationVariable(f, args[0], message: "argument is not an identifier")
        let transform = args.count == 3 ? args[2] : args[1]
        var step = f.newCall("_+_", f.newAccuIdent(), f.newList([transform]))
        if args.count == 3 {
            step = f.newCall("_?_:_", args[1], step, f.newAccuIdent())
        }
        return f.newComprehension(iterRange: target, iterVar: variable, accuVar: MacroExprFactory.accumulatorName,
                                  accuInit: f.newList(), loopCondition: f.newLiteral(.bool(true)), loopStep: step,
                                  result: f.newAccuIdent())
    }

    /// `r.filter(x, p)`.
    static func expandFilter(_ f: MacroExprFactory, _ target: Expr?, _ args: [Expr]) throws -> Expr? {
        guard let target else { return nil }
        let variable = try iterationVariable(f, args[0], message: "argument is not an identifier")
        let step = f.newCall("_?_:_", args[1], f.newCall("_+_", f.newAccuIdent(), f.newList([args[0]])),
                             f.newAccuIdent())
        return f.newComprehension(iterRange: target, iterVar: variable, accuVar: MacroExprFactory.accumulatorName,
                                  accuInit: f.newList(), loopCondition: f.newLiteral(.bool(true)), loopStep: step,
                                  result: f.newAccuIdent())
    }

    /// The name of an iteration variable, which must be a plain identifier other than the
    /// accumulator.
    static func iterationVariable(_ f: MacroExprFactory, _ expr: Expr, message: String) throws -> String {
        guard let name = f.identName(expr) else { throw f.error(message, at: expr.id) }
        if name == MacroExprFactory.accumulatorName {
            throw f.error("iteration variable overwrites accumulator variable", at: expr.id)
        }
        return name
    }
}
