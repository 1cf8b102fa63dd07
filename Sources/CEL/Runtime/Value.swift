import OrderedCollections

/// A CEL runtime value.
///
/// Errors and unknowns are values (`.error`, `.unknown`), never Swift `throws`, so that `&&`,
/// `||` and the comprehension macros can absorb them as the spec requires. Numbers are three
/// distinct kinds (`int`, `uint`, `double`) that never mix in arithmetic but compare across
/// kinds. JSON-shaped data uses `null`, `bool`, `double`, `string`, `list` and `map`.
public enum Value: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case list([Value])
    case map(MapValue)
    case timestamp(Timestamp)
    case duration(CELDuration)
    /// A type value, the result of `type(x)` or a type identifier such as `int`.
    case type(CELType)
    /// `optional.of(v)` is `.optional(v)`, `optional.none()` is `.optional(nil)`.
    indirect case optional(Value?)
    indirect case error(EvalError)
    case unknown(UnknownSet)
    /// Values of extension types (IP addresses, hierarchies, host objects ...).
    indirect case object(any ObjectValue)
}

/// The key of a CEL map: CEL allows bool, int, uint and string keys. Equality and hashing are
/// numeric across `int` and `uint`, so `{1: x}[1u]` finds `x` (heterogeneous equality), while
/// the key keeps the kind it was written with.
public enum MapKey: Sendable {
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case string(String)
}

extension MapKey: Hashable {
    public static func == (lhs: MapKey, rhs: MapKey) -> Bool {
        // No tuple switch: that would copy both keys through generic tuple witnesses.
        switch lhs {
        case let .string(a):
            // CEL keys are equal when their code points are (cel-go compares Go strings), not
            // under Unicode canonical equivalence as `String ==`. Byte equality also rejects a
            // key of another length without a call into the string comparison runtime, which
            // is what most of the keys a small map's linear search passes over cost. Hashing
            // stays consistent: byte-equal strings are `==` and hash alike.
            if case let .string(b) = rhs { return StringBytes.equal(a, b) }
            return false
        case let .bool(a):
            if case let .bool(b) = rhs { return a == b }
            return false
        case let .int(a):
            if case let .int(b) = rhs { return a == b }
            if case let .uint(b) = rhs { return a >= 0 && UInt64(a) == b }
            return false
        case let .uint(a):
            if case let .uint(b) = rhs { return a == b }
            if case let .int(b) = rhs { return b >= 0 && UInt64(b) == a }
            return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case let .bool(b): hasher.combine(0 as UInt8); hasher.combine(b)
        case let .string(s): hasher.combine(1 as UInt8); hasher.combine(s)
        case let .int(i):
            if i >= 0 { hasher.combine(2 as UInt8); hasher.combine(UInt64(i)) } else { hasher.combine(3 as UInt8); hasher.combine(i) }
        case let .uint(u): hasher.combine(2 as UInt8); hasher.combine(u)
        }
    }

    /// The key as a value.
    public var value: Value {
        switch self {
        case let .bool(b): return .bool(b)
        case let .int(i): return .int(i)
        case let .uint(u): return .uint(u)
        case let .string(s): return .string(s)
        }
    }
}

/// A CEL map. Iteration follows insertion order, so results are deterministic from run to run.
///
/// The dictionary sits in one reference-counted box (copy-on-write), so copying a map value,
/// which evaluation does at every field selection, costs one retain rather than three.
public struct MapValue: Sendable {
    // Reads happen on every field selection; the box is only mutated when uniquely owned
    // (copy-on-write in `storage`), so dynamic exclusivity checks buy nothing here.
    @usableFromInline final class Box: @unchecked Sendable { // mutated only while uniquely referenced
        @exclusivity(unchecked) @usableFromInline var dict: OrderedDictionary<MapKey, Value> // copy-on-write, see above
        @usableFromInline init(_ dict: OrderedDictionary<MapKey, Value>) { self.dict = dict }
        // Lookups as methods borrow `dict` in place instead of copying it out of the box.
        @inlinable @inline(__always) func value(forKey key: MapKey) -> Value? { dict[key] }
        @inlinable @inline(__always) func contains(_ key: MapKey) -> Bool { dict.index(forKey: key) != nil }
        /// The position of `key`, trying `hint` (any integer) first. Maps of one shape (JSON
        /// objects decoded from the same schema) keep each key at the same position, so a
        /// hint remembered from the previous lookup turns the search into one key compare.
        @inlinable @inline(__always) func position(of key: MapKey, hint: Int) -> Int? {
            if hint >= 0, hint < dict.count, dict.keys[hint] == key { return hint }
            return dict.index(forKey: key)
        }
        /// The value at a position from `position(of:hint:)`.
        @inlinable @inline(__always) func value(at position: Int) -> Value { dict.values[position] }
    }

    @usableFromInline var box: Box

    /// The entries. Reading borrows the boxed dictionary; mutating copies it only when shared.
    public var storage: OrderedDictionary<MapKey, Value> {
        @inlinable _read { yield box.dict }
        @inlinable _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.dict) }
            yield &box.dict
        }
    }

    public init() { box = Box([:]) }
    public init(_ storage: OrderedDictionary<MapKey, Value>) { box = Box(storage) }
    /// A map with string keys, the shape of JSON objects.
    public init(stringKeyed pairs: [(String, Value)]) {
        var d = OrderedDictionary<MapKey, Value>(minimumCapacity: pairs.count)
        for (k, v) in pairs { d[.string(k)] = v }
        box = Box(d)
    }

    @inlinable public var count: Int { box.dict.count }
    @inlinable public subscript(key: MapKey) -> Value? { box.value(forKey: key) }
    @inlinable public subscript(string key: String) -> Value? { box.value(forKey: .string(key)) }
    /// Whether `key` is present.
    @inlinable public func contains(_ key: MapKey) -> Bool { box.contains(key) }
}

/// A point in time: seconds and nanoseconds since the Unix epoch, UTC.
/// CEL's range is 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
public struct Timestamp: Sendable, Hashable, Comparable {
    public var seconds: Int64
    public var nanos: Int32
    public init(seconds: Int64, nanos: Int32 = 0) { self.seconds = seconds; self.nanos = nanos }
    public static func < (a: Timestamp, b: Timestamp) -> Bool {
        a.seconds != b.seconds ? a.seconds < b.seconds : a.nanos < b.nanos
    }
}

/// A signed span of time, as `google.protobuf.Duration`: seconds and nanoseconds of the same sign.
public struct CELDuration: Sendable, Hashable, Comparable {
    public var seconds: Int64
    public var nanos: Int32
    public init(seconds: Int64, nanos: Int32 = 0) { self.seconds = seconds; self.nanos = nanos }
    public static func < (a: CELDuration, b: CELDuration) -> Bool {
        a.seconds != b.seconds ? a.seconds < b.seconds : a.nanos < b.nanos
    }
}

/// A runtime type value (`type(1) == int`). Names are the cel-spec ones.
public struct CELType: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public init(_ name: String) { self.name = name }
    public var description: String { name }

    public static let null = CELType("null_type")
    public static let bool = CELType("bool")
    public static let int = CELType("int")
    public static let uint = CELType("uint")
    public static let double = CELType("double")
    public static let string = CELType("string")
    public static let bytes = CELType("bytes")
    public static let list = CELType("list")
    public static let map = CELType("map")
    public static let timestamp = CELType("google.protobuf.Timestamp")
    public static let duration = CELType("google.protobuf.Duration")
    public static let type = CELType("type")
    public static let optional = CELType("optional_type")
}

/// A runtime error value. `message` uses cel-go's wording (`no such key: x`,
/// `no such overload`, `division by zero` ...); `exprID` is the node that raised it, if known.
public struct EvalError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var exprID: Int64
    public init(_ message: String, exprID: Int64 = 0) { self.message = message; self.exprID = exprID }
    public var description: String { message }
}

/// The set of expression ids whose values were unknown (partial evaluation).
public struct UnknownSet: Sendable, Hashable {
    public var exprIDs: Set<Int64>
    public init(_ exprIDs: Set<Int64>) { self.exprIDs = exprIDs }
}

/// A value of a type that CEL does not know natively. Extension libraries and hosts implement it.
public protocol ObjectValue: Sendable {
    /// The value's runtime type.
    var celType: CELType { get }
    /// `obj.name`: the field, or nil when the type has no such field.
    func field(_ name: String) -> Value?
    /// Equality with another object value (`==`).
    func isEqual(to other: any ObjectValue) -> Bool
    /// `has(obj.name)`; defaults to `field(name) != nil`.
    func hasField(_ name: String) -> Bool
}

extension ObjectValue {
    /// Whether `has(obj.name)` holds. By default a field is present when `field(name)` is not nil.
    public func hasField(_ name: String) -> Bool { field(name) != nil }
}
