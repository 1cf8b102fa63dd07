extension PartialEvaluator {
    /// A comprehension: over a known range the fold runs here, one residual accumulator step
    /// per element (so `exists` over a known list becomes an `||` of the residual predicates);
    /// over an unknown range the macro is kept with its residual body, the loop variables
    /// standing as unknowns named after themselves.
    mutating func comprehension(_ c: Expr.Comprehension) -> Residual {
        let range = evaluate(c.iterRange)
        switch range {
        case let .value(v):
            return fold(c, over: v)
        default:
            guard let macro = ComprehensionMacro(c) else {
                return .value(.err("comprehension over an unknown range cannot be planned"))
            }
            var scope: [String: Residual] = [c.iterVar: .unknown(c.iterVar)]
            if !c.iterVar2.isEmpty { scope[c.iterVar2] = .unknown(c.iterVar2) }
            bind(scope)
            let bodies = macro.bodies.map { evaluate($0) }
            unbind()
            let variables = c.iterVar2.isEmpty ? [c.iterVar] : [c.iterVar, c.iterVar2]
            return .macro(name: macro.name, range: range, bodies: bodies, variables: variables)
        }
    }

    private mutating func fold(_ c: Expr.Comprehension, over range: Value) -> Residual {
        var elements: [(Value, Value?)] = []
        switch range {
        case let .list(items):
            elements = items.enumerated().map { c.iterVar2.isEmpty ? ($0.element, nil) : (.int(Int64($0.offset)), $0.element) }
        case let .map(m):
            elements = m.box.dict.map { c.iterVar2.isEmpty ? ($0.key.value, nil) : ($0.key.value, $0.value) }
        case .error, .unknown:
            return .value(range)
        default:
            return .value(.err("expression of type '\(range.celType)' cannot be range of a comprehension"))
        }
        bind([:])
        var accumulator = evaluate(c.accuInit)
        for (first, second) in elements {
            var scope: [String: Residual] = [c.accuVar: accumulator, c.iterVar: .value(first)]
            if let second { scope[c.iterVar2] = .value(second) }
            bind(scope)
            let proceed = evaluate(c.loopCondition)
            if proceed.knownBool == false {
                unbind()
                break
            }
            accumulator = evaluate(c.loopStep)
            unbind()
        }
        bind([c.accuVar: accumulator])
        let result = evaluate(c.result)
        unbind()
        unbind()
        return result
    }
}

/// The macro a comprehension was expanded from, recognised by the shape the standard and
/// extension macros give it, with the expressions a residual keeps.
struct ComprehensionMacro {
    /// `all`, `exists`, `exists_one`, `map`, `filter` (and the two-variable forms).
    let name: String
    /// The per-element expressions: the predicate or transform, then a filter when present.
    let bodies: [Expr]

    init?(_ c: Expr.Comprehension) {
        let accu = c.accuVar
        func isAccu(_ e: Expr) -> Bool { if case .ident(accu) = e.kind { return true }; return false }
        guard case let .call(nil, op, stepArgs) = c.loopStep.kind else { return nil }
        switch (op, c.accuInit.kind) {
        case ("_&&_", .constant(.bool(true))) where stepArgs.count == 2 && isAccu(stepArgs[0]):
            name = "all"; bodies = [stepArgs[1]]
        case ("_||_", .constant(.bool(false))) where stepArgs.count == 2 && isAccu(stepArgs[0]):
            name = "exists"; bodies = [stepArgs[1]]
        case ("_?_:_", .constant(.int(0))) where stepArgs.count == 3:
            name = "exists_one"; bodies = [stepArgs[0]]
        case ("_+_", .list) where stepArgs.count == 2 && isAccu(stepArgs[0]):
            guard case let .list(items, _) = stepArgs[1].kind, items.count == 1 else { return nil }
            name = c.iterVar2.isEmpty ? "map" : "transformList"; bodies = [items[0]]
        case ("_?_:_", .list) where stepArgs.count == 3:
            guard case let .call(nil, "_+_", addArgs) = stepArgs[1].kind, addArgs.count == 2,
                  case let .list(items, _) = addArgs[1].kind, items.count == 1 else { return nil }
            if case .ident(c.iterVar) = items[0].kind, c.iterVar2.isEmpty {
                name = "filter"; bodies = [stepArgs[0]]
            } else {
                name = c.iterVar2.isEmpty ? "map" : "transformList"; bodies = [items[0], stepArgs[0]]
            }
        default:
            return nil
        }
    }
}
