/// cel-go `OptionalTypes` (version 2): `optional.of/none/ofNonZeroValue`, `hasValue`, `value`,
/// `or`, `orValue`, `optional.unwrap`/`unwrapOpt`, list `first`/`last`, and the `optMap`/
/// `optFlatMap` macros. `.?field` and `[?key]` are interpreter nodes.
public struct OptionalsLibrary: Library {
    public init() {}
    public var name: String { "cel.lib.optional" }
    public var macros: [Macro] { Macro.optionals }

    public var functions: [FunctionBinding] {
        [
            FunctionBinding("optional.of", [.unary("optional_of", .any) { .optional($0) }]),
            FunctionBinding("optional.none", [Overload("optional_none", [], .nary { _ in .optional(nil) })]),
            FunctionBinding("optional.ofNonZeroValue", [.unary("optional_ofNonZeroValue", .any) { v in
                OptionalsLibrary.isZero(v) ? .optional(nil) : .optional(v)
            }]),
            FunctionBinding("hasValue", [.unary("optional_hasValue", Ext.optional, isMember: true) { v in
                guard case let .optional(inner) = v else { return Ext.fail("hasValue", v) }
                return .bool(inner != nil)
            }]),
            FunctionBinding("value", [.unary("optional_value", Ext.optional, isMember: true) { v in
                guard case let .optional(inner) = v else { return Ext.fail("value", v) }
                return inner ?? .err("optional.none() dereference")
            }]),
            // Non-strict so that a present left side wins over an erroneous right side, as
            // cel-go's short-circuiting `or`/`orValue` do.
            FunctionBinding("or", [Overload("optional_or_optional", [Ext.optional, .any], isMember: true, isNonStrict: true,
                                            .binary { a, b in
                switch a {
                case .optional(.some): return a
                case .optional(nil):
                    if case .optional = b { return b }
                    return Ext.fail("or", b)
                default: return Ext.fail("or", a)
                }
            })]),
            FunctionBinding("orValue", [Overload("optional_orValue_value", [Ext.optional, .any], isMember: true,
                                                 isNonStrict: true, .binary { a, b in
                switch a {
                case let .optional(inner?): return inner
                case .optional(nil): return b
                default: return Ext.fail("orValue", a)
                }
            })]),
            FunctionBinding("optional.unwrap", [.unary("optional_unwrap", K.list) { OptionalsLibrary.unwrap($0) }]),
            FunctionBinding("unwrapOpt", [.unary("optional_unwrapOpt", K.list, isMember: true) { OptionalsLibrary.unwrap($0) }]),
            FunctionBinding("first", [.unary("list_first", K.list, isMember: true) { v in
                guard case let .list(items) = v else { return Ext.fail("first", v) }
                return .optional(items.first)
            }]),
            FunctionBinding("last", [.unary("list_last", K.list, isMember: true) { v in
                guard case let .list(items) = v else { return Ext.fail("last", v) }
                return .optional(items.last)
            }]),
        ]
    }

    static func unwrap(_ v: Value) -> Value {
        guard case let .list(items) = v else { return Ext.fail("optional.unwrap", v) }
        var out: [Value] = []
        for item in items {
            guard case let .optional(inner) = item else {
                return .err("optional.unwrap: list element must be an optional value, got \(item.celType)")
            }
            if let inner { out.append(inner) }
        }
        return .list(out)
    }

    /// cel-go's zero values: null, false, 0, "", empty bytes/list/map, a zero duration, the
    /// year-1 timestamp, and an empty optional.
    static func isZero(_ v: Value) -> Bool {
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
        case let .timestamp(t): return t.seconds == -62_135_596_800 && t.nanos == 0
        case let .optional(inner): return inner == nil
        default: return false
        }
    }
}
