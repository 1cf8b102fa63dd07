import Synchronization

/// A declared variable followed by field selections (`request.resource.attr.owner`): walks the
/// maps in place and copies only the final value, instead of copying every intermediate map.
/// Operators that only read the selected value (`==`, `in`) take it in place (`locate`) and
/// copy nothing.
final class SlotPathNode: Interpretable, @unchecked Sendable {
    let slot: Int
    let name: String
    let fields: [String]
    let keys: [MapKey]
    /// The representations of `keys`, for the inline cache's compare, in a buffer the node
    /// owns: the walk reads them without bounds checks.
    private let keyBits: UnsafeMutablePointer<MapKeyBits>
    /// The steps the fast walk handles: all of them, unless the path is longer than the cache.
    private let fastSteps: Int
    /// Inline cache: the position at which each of the first eight steps found its key last
    /// time, one byte per step. Only ever a hint (every use compares the key at that position
    /// first), so concurrent evaluations that race on it can cost a search, never a wrong
    /// result. Relaxed loads and stores are plain moves.
    private let hints = Atomic<UInt64>(0)
    /// The `no such key` error of each step, made at the first miss: optional attributes miss
    /// on every request, and formatting and boxing the error each time would allocate.
    private let missing = SharedErrors()
    /// Whether maps can be read in place (`FastPaths.mapBoxReadable`); otherwise every
    /// walk goes through copies.
    private let inPlace = FastPaths.mapBoxReadable

    /// Where an in-place walk stopped.
    enum Stop {
        /// The selected value, in place.
        case found(UnsafePointer<Value>)
        /// The key of step `i` is not in its map.
        case missing(Int)
        /// The value at step `i` (in place) is not a map and further steps remain.
        case notMap(UnsafePointer<Value>, Int)
    }

    init(id: Int64, slot: Int, name: String, fields: [String]) {
        self.slot = slot; self.name = name; self.fields = fields; self.keys = fields.map { MapKey.string($0) }
        keyBits = .allocate(capacity: keys.count)
        keyBits.initialize(from: keys.map(MapKeyBits.init), count: keys.count)
        fastSteps = keys.count <= 8 ? keys.count : 0
        super.init(id: id)
    }

    deinit { keyBits.deallocate() }

    override func eval(_ f: inout Frame) -> Value {
        let p = f.slots + slot
        if inPlace, case .map = p.pointee { return finish(walkFast(ValuePayload.mapBox(p), from: 0)) }
        if case let .object(o) = p.pointee {
            // The first step read from the slot in place: `walkOwned(p.pointee, 0)` copied (retained
            // and released) the root value's box besides the object.
            guard let next = o.field(fields[0]) else { return .err("no such field '\(fields[0])'") }
            if next.isErrorOrUnknown || keys.count == 1 { return next }
            return walkOwned(next, 1)
        }
        if case let .error(e) = p.pointee, e.message == "no such attribute" {
            return .err("no such attribute: \(name)")
        }
        return walkOwned(p.pointee, 0)
    }

    /// The selected value in place, when the whole path runs through maps and every key is
    /// present; nil otherwise (then `eval` gives the value or the error). The pointer stays
    /// valid for the rest of the evaluation: the activation keeps the maps alive and nothing
    /// mutates them while it is borrowed.
    @inline(__always)
    func locate(_ slots: UnsafePointer<Value>) -> UnsafePointer<Value>? {
        let p = slots + slot
        guard inPlace, case .map = p.pointee else { return nil }
        if case let .found(v) = walkFast(ValuePayload.mapBox(p), from: 0) { return v }
        return nil
    }

    /// The walk of `keys[start...]` from the map in `root` when every key sits where the inline
    /// cache remembers it, the steady state: one representation compare per step, nothing
    /// learned, nothing stored. Anything else goes on in `walk` from the step that missed.
    @inline(__always)
    private func walkFast(_ root: Unmanaged<MapValue.Box>, from start: Int) -> Stop {
        let cached = hints.load(ordering: .relaxed)
        var box = root
        var i = start
        while i < fastSteps {
            let hint = Int(truncatingIfNeeded: (cached >> UInt64(truncatingIfNeeded: i &* 8)) & 0xFF)
            let bits = keyBits + i
            guard let v = box._withUnsafeGuaranteedRef({ $0.valuePointer(hint: hint, bits: bits.pointee) }) else { break }
            if i == fastSteps &- 1 { return .found(v) }
            guard case .map = v.pointee else { break }
            box = ValuePayload.mapBox(v)
            i &+= 1
        }
        return walk(box, from: i)
    }

    /// The value of an in-place walk that stopped at `stop`.
    private func finish(_ stop: Stop) -> Value {
        switch stop {
        case let .found(v): return v.pointee
        case let .missing(i): return missing.value(i) { keys.map(Value.noSuchKey) }
        case let .notMap(v, i): return walkOwned(v.pointee, i + 1)
        }
    }

    /// Selects `keys[start...]` starting from the map in `root`, reading every map in place
    /// through its box.
    private func walk(_ root: Unmanaged<MapValue.Box>, from start: Int) -> Stop {
        let cached = hints.load(ordering: .relaxed)
        var learned = cached
        // Boxes are held unretained: each is kept alive by its parent, and the root by the
        // activation (or the caller's copy), for the whole walk.
        var box = root
        var i = start
        let last = keys.count - 1
        while true {
            let shift = UInt64(i &* 8)
            let hint = i < 8 ? Int(truncatingIfNeeded: (cached >> shift) & 0xFF) : -1
            let found = box._withUnsafeGuaranteedRef { $0.positionInPlace(of: keys[i], bits: keyBits[i], hint: hint) }
            guard let pos = found else {
                remember(learned, cached)
                return .missing(i)
            }
            if pos != hint, i < 8, pos < 256 {
                learned = (learned & ~(0xFF << shift)) | (UInt64(pos) << shift)
            }
            let v = box._withUnsafeGuaranteedRef { $0.valuePointer(at: pos) }
            guard i < last else {
                remember(learned, cached)
                return .found(v)
            }
            guard case .map = v.pointee else {
                remember(learned, cached)
                return .notMap(v, i)
            }
            box = ValuePayload.mapBox(v)
            i += 1
        }
    }

    /// Stores the learned positions, only when they changed (no shared cache-line writes in the
    /// steady state).
    @inline(__always)
    private func remember(_ learned: UInt64, _ cached: UInt64) {
        if learned != cached { hints.store(learned, ordering: .relaxed) }
    }

    /// The general walk, from a value that is not a map (objects, optionals, errors). Once a
    /// step yields a map (an object's attributes), the rest is walked in place.
    private func walkOwned(_ v: Value, _ start: Int) -> Value {
        var cur = v
        var i = start
        while i < keys.count {
            switch cur {
            case .map where inPlace:
                // `cur` holds the map for the walk, which reads it in place.
                return withUnsafePointer(to: cur) { p in finish(walkFast(ValuePayload.mapBox(p), from: i)) }
            case let .object(o):
                // Host objects (the engine's request, `P`, `R`) directly: the general selection
                // copied the step's key along for the map case.
                guard let next = o.field(fields[i]) else { return .err("no such field '\(fields[i])'") }
                cur = next
            default:
                cur = SelectNode.select(cur, field: fields[i], key: keys[i])
            }
            if cur.isErrorOrUnknown { return cur }
            i += 1
        }
        return cur
    }
}
