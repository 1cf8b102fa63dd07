/// The in-memory representation of a `MapKey`, held as plain integers so that an inline cache
/// can test "is the key stored here this one?" without copying (retaining) either key.
///
/// Equal representations are the same case with the same payload, hence equal keys; unequal
/// representations prove nothing (another buffer with the same bytes, or unused payload bytes),
/// so a miss falls back to real key equality (invariant 4 of `FastPaths`).
@usableFromInline
struct MapKeyBits: Sendable {
    @usableFromInline let lo: UInt64, hi: UInt64, tag: UInt8
    /// False when the fast path is off (`FastPaths.mapKeyBits`): then nothing matches.
    @usableFromInline let usable: Bool

    init(_ key: MapKey) {
        self.init(key, usable: FastPaths.mapKeyBits)
    }

    private init(_ key: MapKey, usable: Bool) {
        var words: (UInt64, UInt64, UInt8) = (0, 0, 0)
        if usable {
            withUnsafeBytes(of: key) { raw in
                words = (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                         raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self), raw[16])
            }
        }
        (lo, hi, tag) = words
        self.usable = usable
    }

    /// Whether `MapKey` is laid out as two words and a tag byte, in which a copy of a key
    /// matches and keys of another payload or case do not.
    static func probe() -> Bool {
        guard MemoryLayout<MapKey>.size == 17 else { return false }
        let key = MapKey.string("kkk")
        let bits = MapKeyBits(key, usable: true)
        func matches(_ other: MapKey) -> Bool { withUnsafeBytes(of: other) { bits.matches($0.baseAddress!) } }
        return matches(key) && !matches(.string("kkj")) && !matches(.int(3))
            && MapKeyBits(.int(1), usable: true).tag != MapKeyBits(.uint(1), usable: true).tag
    }

    /// Whether the key stored at `p` has exactly this representation.
    @inlinable @inline(__always)
    func matches(_ p: UnsafeRawPointer) -> Bool {
        usable && p.loadUnaligned(fromByteOffset: 0, as: UInt64.self) == lo
            && p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) == hi && p.load(fromByteOffset: 16, as: UInt8.self) == tag
    }
}
