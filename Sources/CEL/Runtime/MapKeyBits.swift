/// The in-memory representation of a `MapKey`, held as plain integers so that an inline cache
/// can test "is the key stored here this one?" without copying (retaining) either key.
///
/// Equal representations are the same case with the same payload, hence equal keys; unequal
/// representations prove nothing (another buffer with the same bytes, or padding), so a miss
/// falls back to real key equality.
@usableFromInline
struct MapKeyBits: Sendable {
    @usableFromInline let lo: UInt64, hi: UInt64, tag: UInt8
    /// False when `MapKey` is not laid out as two words and a tag byte: then nothing matches.
    @usableFromInline let usable: Bool

    init(_ key: MapKey) {
        let usable = MemoryLayout<MapKey>.size == 17
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

    /// Whether the key stored at `p` has exactly this representation.
    @inlinable @inline(__always)
    func matches(_ p: UnsafeRawPointer) -> Bool {
        usable && p.loadUnaligned(fromByteOffset: 0, as: UInt64.self) == lo
            && p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) == hi && p.load(fromByteOffset: 16, as: UInt8.self) == tag
    }
}
