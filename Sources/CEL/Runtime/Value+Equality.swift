import OrderedCollections

/// The outcome of ordering two CEL values; `unordered` is a comparison involving NaN.
public enum ValueOrdering: Sendable {
    case less, equal, greater, unordered
}

extension Value {
    /// CEL equality (`==`) with heterogeneous numeric semantics: `1 == 1u == 1.0`, values of
    /// other different kinds are unequal, NaN is unequal to itself, lists and maps compare
    /// element-wise and order-free. Callers handle error and unknown operands first.
    public static func celEquals(_ a: Value, _ b: Value) -> Bool {
        if case let .string(x) = a {
            if case let .string(y) = b { return StringBytes.equal(x, y) }
            return false
        }
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.string(x), .string(y)): return StringBytes.equal(x, y)
        case let (.int(x), .int(y)): return x == y
        case let (.uint(x), .uint(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case (.int, .uint), (.uint, .int), (.int, .double), (.double, .int), (.uint, .double), (.double, .uint):
            if case .equal = numericOrder(a, b) { return true }
            return false
        case let (.bytes(x), .bytes(y)): return x == y
        case let (.list(x), .list(y)):
            guard x.count == y.count else { return false }
            for i in x.indices where !celEquals(x[i], y[i]) { return false }
            return true
        case let (.map(x), .map(y)):
            guard x.count == y.count else { return false }
            for (k, v) in x.storage {
                guard let w = y.storage[k], celEquals(v, w) else { return false }
            }
            return true
        case let (.timestamp(x), .timestamp(y)): return x == y
        case let (.duration(x), .duration(y)): return x == y
        case let (.type(x), .type(y)): return x == y
        case let (.optional(x), .optional(y)):
            switch (x, y) {
            case (nil, nil): return true
            case let (x?, y?): return celEquals(x, y)
            default: return false
            }
        case let (.object(x), .object(y)): return x.isEqual(to: y)
        default: return false
        }
    }

    /// Orders two values of comparable kinds (numbers across kinds, exactly; strings by code
    /// point; bytes; bools; timestamps; durations). Nil when the kinds have no ordering.
    public static func order(_ a: Value, _ b: Value) -> ValueOrdering? {
        switch (a, b) {
        case let (.string(x), .string(y)):
            return orderBytes(x.utf8, y.utf8)
        case let (.bool(x), .bool(y)):
            return x == y ? .equal : (!x ? .less : .greater)
        case let (.bytes(x), .bytes(y)):
            return orderBytes(x, y)
        case let (.timestamp(x), .timestamp(y)):
            return x == y ? .equal : (x < y ? .less : .greater)
        case let (.duration(x), .duration(y)):
            return x == y ? .equal : (x < y ? .less : .greater)
        default:
            return numericOrder(a, b)
        }
    }

    private static func orderBytes<C: Collection>(_ x: C, _ y: C) -> ValueOrdering where C.Element == UInt8 {
        var i = x.makeIterator(), j = y.makeIterator()
        while true {
            switch (i.next(), j.next()) {
            case (nil, nil): return .equal
            case (nil, _): return .less
            case (_, nil): return .greater
            case let (p?, q?):
                if p != q { return p < q ? .less : .greater }
            }
        }
    }

    /// Exact ordering of int, uint and double values across kinds; nil for non-numbers.
    public static func numericOrder(_ a: Value, _ b: Value) -> ValueOrdering? {
        switch (a, b) {
        case let (.int(x), .int(y)): return x == y ? .equal : (x < y ? .less : .greater)
        case let (.uint(x), .uint(y)): return x == y ? .equal : (x < y ? .less : .greater)
        case let (.double(x), .double(y)):
            if x.isNaN || y.isNaN { return .unordered }
            return x == y ? .equal : (x < y ? .less : .greater)
        case let (.int(x), .uint(y)):
            if x < 0 { return .less }
            let ux = UInt64(x)
            return ux == y ? .equal : (ux < y ? .less : .greater)
        case let (.uint(x), .int(y)):
            if y < 0 { return .greater }
            let uy = UInt64(y)
            return x == uy ? .equal : (x < uy ? .less : .greater)
        case let (.int(x), .double(y)): return orderInt(x, y)
        case let (.double(x), .int(y)): return orderInt(y, x).flipped
        case let (.uint(x), .double(y)): return orderUInt(x, y)
        case let (.double(x), .uint(y)): return orderUInt(y, x).flipped
        default: return nil
        }
    }

    /// int against double as cel-go compares them: exact outside the int64 range, otherwise
    /// through the (lossy) double value of the int.
    private static func orderInt(_ i: Int64, _ d: Double) -> ValueOrdering {
        if d.isNaN { return .unordered }
        if d < -9223372036854775808.0 { return .greater }
        if d > 9223372036854775807.0 { return .less }
        return orderDoubles(Double(i), d)
    }

    private static func orderUInt(_ u: UInt64, _ d: Double) -> ValueOrdering {
        if d.isNaN { return .unordered }
        if d < 0 { return .greater }
        if d > 18446744073709551615.0 { return .less }
        return orderDoubles(Double(u), d)
    }

    private static func orderDoubles(_ x: Double, _ y: Double) -> ValueOrdering {
        x == y ? .equal : (x < y ? .less : .greater)
    }
}

extension ValueOrdering {
    var flipped: ValueOrdering {
        switch self {
        case .less: return .greater
        case .greater: return .less
        default: return self
        }
    }
}

/// Structural equality for tests and host code: like CEL equality, but kinds must match
/// (`1 != 1u`), NaN equals NaN, and errors compare by message. Use `Value.celEquals` for `==`.
extension Value: Equatable {
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case let (.double(x), .double(y)): return x == y || (x.isNaN && y.isNaN)
        case let (.list(x), .list(y)): return x == y
        case let (.map(x), .map(y)):
            guard x.count == y.count else { return false }
            for (k, v) in x.storage {
                guard let w = y.storage[k], v == w, k.kindTag == y.storage.keys[y.storage.index(forKey: k)!].kindTag else { return false }
            }
            return true
        case let (.optional(x), .optional(y)): return x == y
        case let (.error(x), .error(y)): return x.message == y.message
        case let (.unknown(x), .unknown(y)): return x == y
        default:
            guard lhs.kind == rhs.kind else { return false }
            return celEquals(lhs, rhs)
        }
    }
}

extension MapKey {
    var kindTag: UInt8 {
        switch self {
        case .bool: return 0
        case .int: return 1
        case .uint: return 2
        case .string: return 3
        }
    }
}
