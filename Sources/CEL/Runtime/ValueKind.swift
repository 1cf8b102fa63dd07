/// The runtime kind of a `Value`, used for overload dispatch without inspecting payloads.
public enum ValueKind: UInt8, Sendable, Hashable, CaseIterable {
    case null, bool, int, uint, double, string, bytes, list, map, timestamp, duration, type, optional, error, unknown, object
}

extension Value {
    /// The kind of this value.
    @inlinable public var kind: ValueKind {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .uint: return .uint
        case .double: return .double
        case .string: return .string
        case .bytes: return .bytes
        case .list: return .list
        case .map: return .map
        case .timestamp: return .timestamp
        case .duration: return .duration
        case .type: return .type
        case .optional: return .optional
        case .error: return .error
        case .unknown: return .unknown
        case .object: return .object
        }
    }

    /// The CEL type of this value, as `type(v)` returns it.
    public var celType: CELType {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .uint: return .uint
        case .double: return .double
        case .string: return .string
        case .bytes: return .bytes
        case .list: return .list
        case .map: return .map
        case .timestamp: return .timestamp
        case .duration: return .duration
        case .type: return .type
        case .optional: return .optional
        case .error: return CELType("*error*")
        case .unknown: return CELType("*unknown*")
        case let .object(o): return o.celType
        }
    }

    /// True for `.error` and `.unknown`, the values a strict function passes through unchanged.
    @inlinable public var isErrorOrUnknown: Bool {
        switch self {
        case .error, .unknown: return true
        default: return false
        }
    }

    /// An error value with `message`.
    @inlinable public static func err(_ message: String) -> Value { .error(EvalError(message)) }

    /// cel-go's error for a call whose arguments match no overload.
    public static func noSuchOverload(_ function: String = "") -> Value {
        .error(EvalError(function.isEmpty ? "no such overload" : "no such overload: \(function)"))
    }

    /// The error for reading a missing map key.
    public static func noSuchKey(_ key: MapKey) -> Value {
        .error(EvalError("no such key: \(key.displayString)"))
    }
}

extension MapKey {
    /// Converts a value to a map key; double keys with an integral value become int or uint keys
    /// (heterogeneous lookup), other kinds are not keys.
    public init?(_ value: Value) {
        switch value {
        case let .bool(b): self = .bool(b)
        case let .int(i): self = .int(i)
        case let .uint(u): self = .uint(u)
        case let .string(s): self = .string(s)
        default: return nil
        }
    }

    /// A key for looking up `value`, accepting integral doubles as numeric keys.
    public static func lookupKey(_ value: Value) -> MapKey? {
        if case let .double(d) = value {
            if let i = Int64(exactly: d) { return .int(i) }
            if let u = UInt64(exactly: d) { return .uint(u) }
            return nil
        }
        return MapKey(value)
    }

    /// The key as cel-go prints it in `no such key` messages.
    public var displayString: String {
        switch self {
        case let .bool(b): return b ? "true" : "false"
        case let .int(i): return String(i)
        case let .uint(u): return String(u)
        case let .string(s): return s
        }
    }
}
