import ArbiterJSON
import CEL

/// One operand of a PlanResources filter (Cerbos's `PlanResourcesFilter.Expression.Operand`):
/// a JSON value, a variable such as `request.resource.attr.status`, or an operator applied to
/// operands (spec §4.3).
public indirect enum PlanOperand: Sendable, Equatable {
    case value(Value)
    case variable(String)
    case expression(operator: String, operands: [PlanOperand])

    /// The boolean, when this operand is a literal `true` or `false`.
    var literalBool: Bool? {
        if case let .value(.bool(b)) = self { return b }
        return nil
    }

    static let `true` = PlanOperand.value(.bool(true))
    static let `false` = PlanOperand.value(.bool(false))

    /// `(op a b ...)` as Cerbos's `filterDebug` prints it: values as compact JSON.
    public func write(sExpression out: inout String) {
        switch self {
        case let .value(v):
            var w = JSONWriter(capacity: 16)
            if (try? w.write(Self.jsonValue(v))) != nil {
                out += String(decoding: w.bytes, as: UTF8.self)
            } else {
                out += "<ERROR>"
            }
        case let .variable(name):
            out += name
        case let .expression(op, operands):
            out += "(" + op + " "
            for (i, operand) in operands.enumerated() {
                if i > 0 { out += " " }
                operand.write(sExpression: &out)
            }
            out += ")"
        }
    }

    /// The protojson form, `{"value": ...}`, `{"variable": ...}` or `{"expression": {...}}`.
    public func toValue() -> Value {
        switch self {
        case let .value(v):
            return .map(MapValue(stringKeyed: [("value", Self.jsonValue(v))]))
        case let .variable(name):
            return .map(MapValue(stringKeyed: [("variable", .string(name))]))
        case let .expression(op, operands):
            let expression = MapValue(stringKeyed: [("operator", .string(op)), ("operands", .list(operands.map { $0.toValue() }))])
            return .map(MapValue(stringKeyed: [("expression", .map(expression))]))
        }
    }

    /// A CEL value as the `google.protobuf.Value` Cerbos puts in a filter: numbers, strings,
    /// booleans, null, lists and string-keyed objects; anything else as its text. Public for the
    /// front ends that write a filter in another encoding (gRPC's protobuf).
    public static func jsonValue(_ v: Value) -> Value {
        switch v {
        case .null, .bool, .string: return v
        case let .int(i): return .double(Double(i))
        case let .uint(u): return .double(Double(u))
        case let .double(d): return .double(d)
        case let .list(items): return .list(items.map(jsonValue))
        case let .map(m):
            return .map(MapValue(stringKeyed: m.storage.map { ($0.key.jsonMemberName, jsonValue($0.value)) }))
        case let .optional(inner): return inner.map(jsonValue) ?? .null
        default:
            return .string("\(v)")
        }
    }

}
