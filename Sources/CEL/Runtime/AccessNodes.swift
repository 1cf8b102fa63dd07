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
    init(id: Int64, operand: Interpretable, field: String) {
        self.operand = operand; self.field = field; self.key = .string(field); self.keyBits = MapKeyBits(key)
        super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        let v = operand.eval(&f)
        guard case let .map(m) = v else { return SelectNode.select(v, field: field, key: key) }
        let cached = hint.load(ordering: .relaxed)
        guard let pos = m.box.position(of: key, bits: keyBits, hint: cached) else { return .noSuchKey(key) }
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

/// A declared variable followed by field selections (`request.resource.attr.owner`): walks the
/// maps in place and copies only the final value, instead of copying every intermediate map.
final class SlotPathNode: Interpretable, @unchecked Sendable {
    let slot: Int
    let name: String
    let fields: [String]
    let keys: [MapKey]
    /// The representations of `keys`, for the inline cache's compare.
    let keyBits: [MapKeyBits]
    /// Inline cache: the position at which each of the first eight steps found its key last
    /// time, one byte per step. Only ever a hint (every use compares the key at that position
    /// first), so concurrent evaluations that race on it can cost a search, never a wrong
    /// result. Relaxed loads and stores are plain moves.
    private let hints = Atomic<UInt64>(0)

    init(id: Int64, slot: Int, name: String, fields: [String]) {
        self.slot = slot; self.name = name; self.fields = fields; self.keys = fields.map { MapKey.string($0) }
        self.keyBits = keys.map(MapKeyBits.init)
        super.init(id: id)
    }

    override func eval(_ f: inout Frame) -> Value {
        let p = f.slots + slot
        if case let .map(first) = p.pointee { return walk(first.box) }
        if case let .error(e) = p.pointee, e.message == "no such attribute" {
            return .err("no such attribute: \(name)")
        }
        return walkOwned(p.pointee, 0)
    }

    /// Selects `keys` starting from the variable's map. Maps are read in place through their
    /// boxes; only the selected value is copied.
    private func walk(_ root: MapValue.Box) -> Value {
        let cached = hints.load(ordering: .relaxed)
        var learned = cached
        // Intermediate boxes are held unretained: each is kept alive by its parent, and the root
        // by the activation, for the whole walk. Saves a retain and a release per step.
        var box = Unmanaged.passUnretained(root)
        var i = 0
        let last = keys.count - 1
        while true {
            let shift = UInt64(i &* 8)
            let hint = i < 8 ? Int(truncatingIfNeeded: (cached >> shift) & 0xFF) : -1
            let step: (pos: Int, next: Unmanaged<MapValue.Box>?)? = box._withUnsafeGuaranteedRef { b in
                guard let pos = b.position(of: keys[i], bits: keyBits[i], hint: hint) else { return nil }
                if i < last, case let .map(next) = b.dict.values[pos] { return (pos, Unmanaged.passUnretained(next.box)) }
                return (pos, nil)
            }
            guard let step else {
                remember(learned, cached)
                return .noSuchKey(keys[i])
            }
            if step.pos != hint, i < 8, step.pos < 256 {
                learned = (learned & ~(0xFF << shift)) | (UInt64(step.pos) << shift)
            }
            guard let next = step.next else {
                remember(learned, cached)
                let value = box._withUnsafeGuaranteedRef { $0.value(at: step.pos) }
                return i == last ? value : walkOwned(value, i + 1)
            }
            box = next
            i += 1
        }
    }

    /// Stores the learned positions, only when they changed (no shared cache-line writes in the
    /// steady state).
    @inline(__always)
    private func remember(_ learned: UInt64, _ cached: UInt64) {
        if learned != cached { hints.store(learned, ordering: .relaxed) }
    }

    /// The general walk, from a value that is not a map (objects, optionals, errors).
    private func walkOwned(_ v: Value, _ start: Int) -> Value {
        var cur = v
        for i in start..<keys.count {
            cur = SelectNode.select(cur, field: fields[i], key: keys[i])
            if cur.isErrorOrUnknown { return cur }
        }
        return cur
    }
}
