/// The CEL standard library: operators, `size`, string predicates, `matches` (RE2),
/// conversions, and timestamp/duration arithmetic and accessors, with cel-go overload ids.
public struct StandardLibrary: Library {
    public init() {}
    public var name: String { "cel.stdlib" }
    public var macros: [Macro] { Macro.standard }
    /// The standard declarations come from `Declarations.standard`; this adds the helper that
    /// two-variable comprehension macros expand to.
    public var declarations: [FunctionDecl] { Declarations.twoVariableComprehensionsExtension }

    public var functions: [FunctionBinding] {
        StandardLibrary.arithmetic + StandardLibrary.strings + StandardLibrary.conversions + StandardLibrary.time
            + StandardLibrary.logic + StandardLibrary.internalHelpers + StandardLibrary.optionals
    }

    /// Type denotations: `int`, `google.protobuf.Timestamp` ... evaluate to type values.
    public var constants: [(name: String, value: Value)] {
        let types: [CELType] = [.null, .bool, .int, .uint, .double, .string, .bytes, .list, .map, .timestamp,
                                .duration, .type, .optional]
        return types.map { ($0.name, Value.type($0)) }
    }

    static let logic: [FunctionBinding] = [
        FunctionBinding("!_", [.unary(OverloadID.logicalNot, K.bool) { v in
            if case let .bool(b) = v { return .bool(!b) }
            return .noSuchOverload("!_")
        }]),
    ]
}

/// Shorthands for argument kinds in overload tables.
enum K {
    static let any = ArgKind.any
    static let bool = ArgKind.kind(.bool)
    static let int = ArgKind.kind(.int)
    static let uint = ArgKind.kind(.uint)
    static let double = ArgKind.kind(.double)
    static let string = ArgKind.kind(.string)
    static let bytes = ArgKind.kind(.bytes)
    static let list = ArgKind.kind(.list)
    static let map = ArgKind.kind(.map)
    static let timestamp = ArgKind.kind(.timestamp)
    static let duration = ArgKind.kind(.duration)
    static let type = ArgKind.kind(.type)
    static let null = ArgKind.kind(.null)
}
