import ArbiterJSON
import CEL
import OrderedCollections
#if canImport(Glibc)
import Glibc
#endif

/// The JSON reading of CEL values: what JSON type a value is, its number, JSON equality. Numbers
/// may arrive as `.double` (JSON text) or `.int` / `.uint` (values built in code); all compare by value.
enum JSONInstance {
    /// The JSON type name the `type` keyword uses, with every number called `number` as the
    /// messages of Cerbos's validator do; nil for CEL values that JSON has no word for.
    static func typeName(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .uint, .double: return "number"
        case .string: return "string"
        case .list: return "array"
        case .map: return "object"
        default: return "unknown"
        }
    }

    /// The numeric value, nil for non-numbers.
    @inline(__always)
    static func number(_ value: Value) -> Double? {
        switch value {
        case let .double(d): return d
        case let .int(i): return Double(i)
        case let .uint(u): return Double(u)
        default: return nil
        }
    }

    /// Whether `value` satisfies the types in `set` (an integer-valued number is an integer).
    static func matches(_ value: Value, _ set: JSONTypeSet) -> Bool {
        withUnsafePointer(to: value) { matches($0, set) }
    }

    /// `matches` of the value at `value`: switching on the case in place copies no payload.
    static func matches(_ value: UnsafePointer<Value>, _ set: JSONTypeSet) -> Bool {
        switch value.pointee {
        case .null: return set.contains(.null)
        case .bool: return set.contains(.boolean)
        case .string: return set.contains(.string)
        case .list: return set.contains(.array)
        case .map: return set.contains(.object)
        case .int, .uint: return set.contains(.number) || set.contains(.integer)
        case let .double(d): return set.contains(.number) || (set.contains(.integer) && d.isFinite && d.rounded(.towardZero) == d)
        default: return false
        }
    }

    /// JSON equality: numbers by value, objects regardless of key order.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        if let x = number(a) {
            guard let y = number(b) else { return false }
            return x == y
        }
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.string(x), .string(y)): return sameText(x, y)
        case let (.list(x), .list(y)):
            guard x.count == y.count else { return false }
            for i in x.indices where !equal(x[i], y[i]) { return false }
            return true
        case let (.map(x), .map(y)):
            guard x.count == y.count else { return false }
            for (key, value) in x.storage {
                guard let other = y[key], equal(value, other) else { return false }
            }
            return true
        default:
            return false
        }
    }

    /// String equality by code points (Swift's `==` equates canonically equivalent strings,
    /// which JSON does not): one byte compare of native strings.
    static func sameText(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        let compared = a.utf8.withContiguousStorageIfAvailable { pa in
            b.utf8.withContiguousStorageIfAvailable { pb in
                pa.count == 0 || memcmp(pa.baseAddress!, pb.baseAddress!, pa.count) == 0
            }
        }
        if let compared, let result = compared { return result }
        return a.utf8.elementsEqual(b.utf8)
    }
}

/// The way Go's fmt prints what the messages of Cerbos's validator interpolate.
enum GoText {
    /// `quote` of santhosh-tekuri/jsonschema: a Go double-quoted string turned into a single-quoted one.
    static func quote(_ s: String) -> String {
        var out = "'"
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "'"
    }

    /// `%v` of a float64: shortest digits, exponent form outside [1e-4, 1e21).
    static func number(_ d: Double) -> String { GoFloat.format(d, .v) }

    /// The value as the `%v` verb prints a JSON value decoded by Go: numbers as above, strings bare.
    static func value(_ v: Value) -> String {
        switch v {
        case let .string(s): return s
        case .null: return "<nil>"
        case let .bool(b): return b ? "true" : "false"
        default:
            if let n = JSONInstance.number(v) { return number(n) }
            return v.jsonForMessage
        }
    }
}

extension GoText {
    /// `%#v` of a decoded JSON scalar: strings Go-quoted, numbers and booleans bare.
    static func goSyntax(_ v: Value) -> String {
        if case .string = v { return v.jsonForMessage }
        return value(v)
    }
}
