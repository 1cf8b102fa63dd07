import CEL

extension PlanOperand {
    /// Decodes the protojson form (`{value}`, `{variable}` or `{expression: {operator, operands}}`),
    /// naming the offending path on error.
    public init(from value: Value, path: String = "condition") throws(RequestError) {
        guard case let .map(m) = value else { throw RequestError(path: path, message: "must be an object") }
        if let v = m[string: "value"] {
            self = .value(v)
        } else if let v = m[string: "variable"] {
            guard case let .string(name) = v else { throw RequestError(path: path + ".variable", message: "must be a string") }
            self = .variable(name)
        } else if case let .map(e)? = m[string: "expression"] {
            guard case let .string(op)? = e[string: "operator"] else {
                throw RequestError(path: path + ".expression.operator", message: "must be a string")
            }
            var operands: [PlanOperand] = []
            if let list = e[string: "operands"] {
                guard case let .list(items) = list else {
                    throw RequestError(path: path + ".expression.operands", message: "must be an array")
                }
                for (i, item) in items.enumerated() {
                    operands.append(try PlanOperand(from: item, path: path + ".expression.operands[\(i)]"))
                }
            }
            self = .expression(operator: op, operands: operands)
        } else {
            throw RequestError(path: path, message: "must have one of value, variable or expression")
        }
    }

    /// A canonical s-expression for comparing filters as Cerbos's test runner does: operands of
    /// the commutative `and`, `or`, `eq`, `ne`, `add`, `mult` and the entries of `struct` sorted.
    public var canonicalText: String {
        switch self {
        case .value, .variable:
            var out = ""
            write(sExpression: &out)
            return out
        case let .expression(op, operands):
            var texts = operands.map(\.canonicalText)
            if ["and", "or", "eq", "ne", "add", "mult", "struct"].contains(op) { texts.sort() }
            return "(" + op + " " + texts.joined(separator: " ") + ")"
        }
    }
}
