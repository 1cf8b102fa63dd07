/// A static CEL type, as the type checker deduces it (cel-spec `cel.expr.Type`).
///
/// Besides the value types this has the checker-only forms: `dyn` (unknown until run time),
/// `error` (a subexpression that failed to check), and `typeParam` (a type variable of a
/// parameterised overload such as `_+_(list(A), list(A)) -> list(A)`).
public indirect enum CheckedType: Sendable, Hashable {
    case null
    case bool
    case int
    case uint
    case double
    case string
    case bytes
    /// Any type; the value's type is only known at run time.
    case dyn
    /// The type of an expression that failed to check; assignable to and from anything so that
    /// one error does not cascade.
    case error
    /// `google.protobuf.Any`.
    case any
    /// `google.protobuf.Timestamp`.
    case timestamp
    /// `google.protobuf.Duration`.
    case duration
    case list(CheckedType)
    case map(CheckedType, CheckedType)
    /// The type of a type value: `type(int)` for the identifier `int`; `type(nil)` is plain `type`.
    case type(CheckedType?)
    /// An abstract type with parameters: `optional_type(int)`, `net.IP`, a host type such as `example.hierarchy`.
    case opaque(String, [CheckedType])
    /// A type variable, bound by unification during overload resolution.
    case typeParam(String)
    /// A message (object) type, by fully-qualified name.
    case message(String)
    /// A nullable primitive (`google.protobuf.Int64Value` is `wrapper(int)`).
    case wrapper(CheckedType)

    /// The name of the optional type constructor.
    public static let optionalTypeName = "optional_type"

    /// `optional_type(T)`.
    public static func optional(_ t: CheckedType) -> CheckedType { .opaque(optionalTypeName, [t]) }

    /// If this is `optional_type(T)`, returns `T`.
    public var optionalElement: CheckedType? {
        if case let .opaque(name, params) = self, name == Self.optionalTypeName, params.count == 1 { return params[0] }
        return nil
    }

    /// True for `dyn` (and `google.protobuf.Any`, which the checker treats alike).
    public var isDyn: Bool {
        switch self {
        case .dyn, .any: return true
        default: return false
        }
    }

    /// True for `dyn`, `any` and `error`, the types that unify with everything.
    public var isDynOrError: Bool {
        switch self {
        case .dyn, .any, .error: return true
        default: return false
        }
    }

    /// True when `null` may be assigned to a value of this type (messages, wrappers,
    /// well-known and abstract types), as cel-go's legacy nullability rules say.
    public var isNullable: Bool {
        switch self {
        case .opaque, .message, .wrapper, .any, .timestamp, .duration, .null: return true
        default: return false
        }
    }

    /// The type's parameters (list element, map key and value, abstract type parameters).
    public var parameters: [CheckedType] {
        switch self {
        case let .list(e): return [e]
        case let .map(k, v): return [k, v]
        case let .type(t): return t.map { [$0] } ?? []
        case let .opaque(_, ps): return ps
        case let .wrapper(p): return [p]
        default: return []
        }
    }

    /// The well-known protobuf message names that CEL maps onto its own types.
    public static func wellKnown(_ messageName: String) -> CheckedType? {
        switch messageName {
        case "google.protobuf.Timestamp": return .timestamp
        case "google.protobuf.Duration": return .duration
        case "google.protobuf.Any": return .any
        case "google.protobuf.Value": return .dyn
        case "google.protobuf.Struct": return .map(.string, .dyn)
        case "google.protobuf.ListValue": return .list(.dyn)
        case "google.protobuf.NullValue": return .null
        case "google.protobuf.BoolValue": return .wrapper(.bool)
        case "google.protobuf.BytesValue": return .wrapper(.bytes)
        case "google.protobuf.DoubleValue", "google.protobuf.FloatValue": return .wrapper(.double)
        case "google.protobuf.Int64Value", "google.protobuf.Int32Value": return .wrapper(.int)
        case "google.protobuf.UInt64Value", "google.protobuf.UInt32Value": return .wrapper(.uint)
        case "google.protobuf.StringValue": return .wrapper(.string)
        default: return nil
        }
    }

    /// The runtime type name (what `type(x)` prints): `int`, `list`, `optional_type`, a message name.
    public var runtimeTypeName: String {
        switch self {
        case .null: return "null_type"
        case .bool: return "bool"
        case .int: return "int"
        case .uint: return "uint"
        case .double: return "double"
        case .string: return "string"
        case .bytes: return "bytes"
        case .dyn: return "dyn"
        case .error: return "*error*"
        case .any: return "google.protobuf.Any"
        case .timestamp: return "google.protobuf.Timestamp"
        case .duration: return "google.protobuf.Duration"
        case .list: return "list"
        case .map: return "map"
        case .type: return "type"
        case let .opaque(name, _): return name
        case let .typeParam(name): return name
        case let .message(name): return name
        case let .wrapper(p):
            switch p {
            case .bool: return "google.protobuf.BoolValue"
            case .bytes: return "google.protobuf.BytesValue"
            case .double: return "google.protobuf.DoubleValue"
            case .int: return "google.protobuf.Int64Value"
            case .uint: return "google.protobuf.UInt64Value"
            case .string: return "google.protobuf.StringValue"
            default: return "wrapper"
            }
        }
    }

    /// The runtime type value of this type (what `type(x)` evaluates to for a value of it).
    public var runtimeType: CELType { CELType(runtimeTypeName) }

    /// All type parameter names occurring in this type.
    public var typeParamNames: [String] {
        var out: [String] = []
        collectTypeParams(into: &out)
        return out
    }

    private func collectTypeParams(into out: inout [String]) {
        if case let .typeParam(name) = self {
            if !out.contains(name) { out.append(name) }
            return
        }
        for p in parameters { p.collectTypeParams(into: &out) }
    }
}

extension CheckedType: CustomStringConvertible {
    /// The type as cel-go prints it in diagnostics: `int`, `list(string)`, `map(string, dyn)`.
    public var description: String {
        switch self {
        case .list(let e): return "list(\(e))"
        case let .map(k, v): return "map(\(k), \(v))"
        case let .type(t): return t.map { "type(\($0))" } ?? "type"
        case let .opaque(name, ps): return ps.isEmpty ? name : "\(name)(\(ps.map(\.description).joined(separator: ", ")))"
        case let .wrapper(p): return "wrapper(\(p))"
        default: return runtimeTypeName
        }
    }
}
