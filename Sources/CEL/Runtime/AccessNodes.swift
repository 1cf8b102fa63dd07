import Synchronization

/// `operand.field` on maps, objects and optionals.
final class SelectNode: Interpretable, @unchecked Sendable {
    let operand: Interpretable
    let field: String
    let key: MapKey
    /// Inline cache: the position of `key` in the last map selected from (a hint, always
    /// verified; see `SlotPathNode.hints`).
    private let hint = Atomic<Int>(0)
    private let keyBits: MapKeyBits
    /// The `no such key` error, made at the first miss (see `SharedErrors`).
    private let missing = SharedErrors()
    init(id: Int64, operand: Interpretable, field: String) {
        self.operand = operand; self.field = field; self.key = .string(field); self.keyBits = MapKeyBits(key)
        super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        let v = operand.eval(&f)
        guard case let .map(m) = v else { return SelectNode.select(v, field: field, key: key) }
        let cached = hint.load(ordering: .relaxed)
        guard let pos = m.box.position(of: key, bits: keyBits, hint: cached) else {
            return missing.value(0) { [.noSuchKey(key)] }
        }
        if pos != cached { hint.store(pos, ordering: .relaxed) }
        return m.box.value(at: pos)
    }

    @inline(__always)
    static func select(_ v: Value, field: String, key: MapKey) -> Value {
        switch v {
        case let .map(m):
            if let r = m[key] { return r }
            return .noSuchKey(key)
        case let .object(o):
            if let r = o.field(field) { return r }
            return .err("no such field '\(field)'")
        case .optional(nil): return v
        case let .optional(inner?): return optionalSelect(inner, field: field, key: key)
        case .error, .unknown: return v
        default:
            return .err("type '\(v.celType)' does not support field selection")
        }
    }

    /// `v.?field`: an optional holding the field when present, none when absent.
    static func optionalSelect(_ v: Value, field: String, key: MapKey) -> Value {
        switch v {
        case let .map(m):
            if let r = m[key] { return .optional(r) }
            return .optional(nil)
        case let .object(o):
            if o.hasField(field), let r = o.field(field) { return .optional(r) }
            return .optional(nil)
        case .optional(nil): return v
        case let .optional(inner?): return optionalSelect(inner, field: field, key: key)
        case .error, .unknown: return v
        default:
            return .err("type '\(v.celType)' does not support field selection")
        }
    }
}

/// `has(operand.field)`.
final class HasNode: Interpretable, @unchecked Sendable {
    let operand: Interpretable
    let field: String
    let key: MapKey
    init(id: Int64, operand: Interpretable, field: String) {
        self.operand = operand; self.field = field; self.key = .string(field); super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        let v = operand.eval(&f)
        switch v {
        case let .map(m): return .bool(m.contains(key))
        case let .object(o): return .bool(o.hasField(field))
        case .optional(nil): return .bool(false)
        case let .optional(inner?):
            if case let .map(m) = inner { return .bool(m.contains(key)) }
            if case let .object(o) = inner { return .bool(o.hasField(field)) }
            return .err("invalid type for field selection")
        case .error, .unknown: return v
        default: return .err("invalid type for field selection")
        }
    }
}

/// `a.?b`: the optional field selection.
final class OptionalSelectNode: Interpretable, @unchecked Sendable {
    let operand: Interpretable
    let field: String
    let key: MapKey
    init(id: Int64, operand: Interpretable, field: String) {
        self.operand = operand; self.field = field; self.key = .string(field); super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        SelectNode.optionalSelect(operand.eval(&f), field: field, key: key)
    }
}

/// `a[i]` and, with `optional`, `a[?i]`.
final class IndexNode: Interpretable, @unchecked Sendable {
    let operand: Interpretable
    let index: Interpretable
    let optional: Bool
    init(id: Int64, operand: Interpretable, index: Interpretable, optional: Bool) {
        self.operand = operand; self.index = index; self.optional = optional; super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        let c = operand.eval(&f)
        let i = index.eval(&f)
        if c.isErrorOrUnknown { return c }
        if i.isErrorOrUnknown { return i }
        if optional { return IndexNode.optionalIndex(c, i) }
        return IndexNode.index(c, i)
    }

    static func listPosition(_ i: Value) -> Int64?? {
        switch i {
        case let .int(n): return .some(n)
        case let .uint(u): return .some(u > UInt64(Int64.max) ? Int64.max : Int64(u))
        case let .double(d):
            guard let n = Int64(exactly: d) else { return .some(nil) }
            return .some(n)
        default: return nil
        }
    }

    static func index(_ c: Value, _ i: Value) -> Value {
        switch c {
        case let .list(l):
            guard let pos = listPosition(i) else { return .noSuchOverload("_[_]") }
            guard let p = pos else { return .err("unsupported index value") }
            guard p >= 0 && p < l.count else { return .err("index out of bounds: \(p)") }
            return l[Int(p)]
        case let .map(m):
            guard let k = MapKey.lookupKey(i) else {
                if case .double = i { return .err("no such key: \(i)") }
                if MapKey(i) == nil && i.kind != .double { return .err("unsupported key type") }
                return .noSuchOverload("_[_]")
            }
            if let r = m[k] { return r }
            return .noSuchKey(k)
        case .optional(nil): return c
        case let .optional(inner?): return optionalIndex(inner, i)
        case let .object(o as any IndexableObjectValue):
            return o.index(i)
        case let .object(o):
            if case let .string(s) = i, let r = o.field(s) { return r }
            return .noSuchOverload("_[_]")
        default: return .noSuchOverload("_[_]")
        }
    }

    static func optionalIndex(_ c: Value, _ i: Value) -> Value {
        switch c {
        case let .list(l):
            guard let pos = listPosition(i) else { return .noSuchOverload("_[?_]") }
            guard let p = pos, p >= 0 && p < l.count else { return .optional(nil) }
            return .optional(l[Int(p)])
        case let .map(m):
            guard let k = MapKey.lookupKey(i) else {
                if case .double = i { return .optional(nil) }
                return .noSuchOverload("_[?_]")
            }
            if let r = m[k] { return .optional(r) }
            return .optional(nil)
        case .optional(nil): return c
        case let .optional(inner?): return optionalIndex(inner, i)
        default: return .noSuchOverload("_[?_]")
        }
    }
}

/// An object value that supports `obj[key]` with non-string keys (host types such as a
/// hierarchy indexed by position).
public protocol IndexableObjectValue: ObjectValue {
    /// `self[key]`: the element, or an error value.
    func index(_ key: Value) -> Value
}
