extension StandardLibrary {
    /// cel-go's optional-types library (version 2); `or`/`orValue` short-circuit in the planner.
    static let optionals: [FunctionBinding] = [
        FunctionBinding("optional.of", [.unary("optional_of", K.any) { .optional($0) }]),
        FunctionBinding("optional.ofNonZeroValue", [.unary("optional_ofNonZeroValue", K.any) { v in
            isZeroValue(v) ? .optional(nil) : .optional(v)
        }]),
        FunctionBinding("optional.none", [.nary("optional_none", []) { _ in .optional(nil) }]),
        FunctionBinding("value", [.unary("optional_value", .kind(.optional), isMember: true) { v in
            guard case let .optional(inner) = v else { return .noSuchOverload("value") }
            return inner ?? .err("optional.none() dereference")
        }]),
        FunctionBinding("hasValue", [.unary("optional_hasValue", .kind(.optional), isMember: true) { v in
            guard case let .optional(inner) = v else { return .noSuchOverload("hasValue") }
            return .bool(inner != nil)
        }]),
        FunctionBinding("or", [.binary("optional_or_optional", .kind(.optional), .kind(.optional), isMember: true) { a, b in
            guard case let .optional(inner) = a else { return .noSuchOverload("or") }
            return inner != nil ? a : b
        }]),
        FunctionBinding("orValue", [.binary("optional_orValue_value", .kind(.optional), K.any, isMember: true) { a, b in
            guard case let .optional(inner) = a else { return .noSuchOverload("orValue") }
            return inner ?? b
        }]),
        FunctionBinding("optional.unwrap", [.unary("optional_unwrap", K.list) { unwrap($0) }]),
        FunctionBinding("unwrapOpt", [.unary("optional_unwrapOpt", K.list, isMember: true) { unwrap($0) }]),
        FunctionBinding("first", [.unary("list_first", K.list, isMember: true) { v in
            guard case let .list(l) = v else { return .noSuchOverload("first") }
            return .optional(l.first)
        }]),
        FunctionBinding("last", [.unary("list_last", K.list, isMember: true) { v in
            guard case let .list(l) = v else { return .noSuchOverload("last") }
            return .optional(l.last)
        }]),
    ]

    static func unwrap(_ v: Value) -> Value {
        guard case let .list(l) = v else { return .noSuchOverload("optional.unwrap") }
        var out: [Value] = []
        for item in l {
            guard case let .optional(inner) = item else { return .err("optional.unwrap: element is not an optional") }
            if let inner { out.append(inner) }
        }
        return .list(out)
    }

    /// The zero value of each type, as `optional.ofNonZeroValue` tests it.
    static func isZeroValue(_ v: Value) -> Bool {
        switch v {
        case .null: return true
        case let .bool(b): return !b
        case let .int(i): return i == 0
        case let .uint(u): return u == 0
        case let .double(d): return d == 0
        case let .string(s): return s.isEmpty
        case let .bytes(b): return b.isEmpty
        case let .list(l): return l.isEmpty
        case let .map(m): return m.count == 0
        case let .duration(d): return d.seconds == 0 && d.nanos == 0
        case let .timestamp(t): return t.seconds == 0 && t.nanos == 0
        case let .optional(o): return o == nil
        default: return false
        }
    }
}

/// `opt.or(other)` and `opt.orValue(v)`: the argument is evaluated only when `opt` is empty.
final class OptionalOrNode: Interpretable, @unchecked Sendable {
    let target: Interpretable, alternative: Interpretable
    let unwrapsValue: Bool
    let fallback: Interpretable
    init(id: Int64, target: Interpretable, alternative: Interpretable, unwrapsValue: Bool, fallback: Interpretable) {
        self.target = target; self.alternative = alternative; self.unwrapsValue = unwrapsValue; self.fallback = fallback
        super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        let t = target.eval(&f)
        guard case let .optional(inner) = t else {
            // Not an optional: an extension may bind `or`/`orValue` for other kinds.
            return fallback.eval(&f)
        }
        if let inner { return unwrapsValue ? inner : t }
        let alt = alternative.eval(&f)
        if unwrapsValue || alt.isErrorOrUnknown { return alt }
        guard case .optional = alt else { return .noSuchOverload("or") }
        return alt
    }
}
