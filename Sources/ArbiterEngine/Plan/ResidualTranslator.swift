import CEL
import OrderedCollections

/// Turns a residual into Cerbos's filter operands (`planner/ast.go buildExpr`): CEL operators
/// become Cerbos's names, member calls put the receiver first, comprehensions become
/// `<macro>(range, lambda(body..., var...))`, a map literal on the right of `in` becomes the
/// list of its keys, and other map literals `struct` of `set-field` entries.
enum ResidualTranslator {
    static func operand(_ residual: Residual) -> PlanOperand {
        switch residual {
        case let .value(v):
            switch v {
            case .error: return .false
            // No JSON value holds these: they stay the calls that make them, which adapters
            // such as cerbos-sqlalchemy translate (`timestamp`).
            case let .timestamp(t): return .expression(operator: "timestamp", operands: [.value(.string(t.rfc3339))])
            case let .duration(d): return .expression(operator: "duration", operands: [.value(.string(d.secondsText))])
            default: return .value(v)
            }
        case let .unknown(name):
            return .variable(PlanFilter.expandAbbreviation(name))
        case let .call(function, target, args):
            var operands: [PlanOperand] = []
            if let target { operands.append(operand(target)) }
            for (i, arg) in args.enumerated() {
                if function == "@in", i == 1, case let .map(keys, _) = arg {
                    operands.append(list(keys))
                } else if function == "@in", i == 1, case let .value(.map(m)) = arg {
                    operands.append(.value(.list(sortedKeys(m))))
                } else {
                    operands.append(operand(arg))
                }
            }
            return .expression(operator: PlanOperator.name(ofFunction: function), operands: operands)
        case let .select(base, field):
            return .expression(operator: PlanOperator.getField, operands: [operand(base), .variable(field)])
        case let .list(items):
            return list(items)
        case let .map(keys, values):
            let entries = zip(keys, values).map { key, value in
                PlanOperand.expression(operator: PlanOperator.setField, operands: [operand(key), operand(value)])
            }
            return .expression(operator: PlanOperator.struct, operands: entries)
        case let .macro(name, range, bodies, variables):
            let lambda = PlanOperand.expression(operator: PlanOperator.lambda,
                                                operands: bodies.map(operand) + variables.map { .variable($0) })
            return .expression(operator: name, operands: [operand(range), lambda])
        }
    }

    /// A map's keys in the order Cerbos's filter builder gives them (sorted by their text).
    private static func sortedKeys(_ m: MapValue) -> [Value] {
        m.storage.keys.map(\.value).sorted { PlanOperand.value($0).canonicalText < PlanOperand.value($1).canonicalText }
    }

    private static func list(_ items: [Residual]) -> PlanOperand {
        var values: [Value] = []
        for item in items {
            guard let v = item.knownValue else { return .expression(operator: PlanOperator.list, operands: items.map(operand)) }
            values.append(v)
        }
        if !values.isEmpty || items.isEmpty { return .value(.list(values)) }
        return .expression(operator: PlanOperator.list, operands: items.map(operand))
    }
}
