import OrderedCollections

/// Lookups in a map box that read keys and values in place (invariants 2 and 4 of `FastPaths`).
extension MapValue.Box {
    /// `position(of:hint:)` that first compares the representation of the key at `hint`
    /// with `bits` (the representation of `key`), which copies neither key.
    @inlinable @inline(__always) func position(of key: MapKey, bits: MapKeyBits, hint: Int) -> Int? {
        if hint >= 0, hint < dict.count, dict.keys.withContiguousStorageIfAvailable({
            bits.matches(UnsafeRawPointer($0.baseAddress! + hint))
        }) == true { return hint }
        return position(of: key, hint: hint)
    }
    /// The address of the value whose key sits at `hint` (non-negative), when that key has
    /// the representation `bits`; nil otherwise, which proves nothing.
    @inlinable @inline(__always) func valuePointer(hint: Int, bits: MapKeyBits) -> UnsafePointer<Value>? {
        guard hint < dict.count, dict.keys.withContiguousStorageIfAvailable({
            bits.matches(UnsafeRawPointer($0.baseAddress! + hint))
        }) == true else { return nil }
        return valuePointer(at: hint)
    }
    /// The address of the value at `position`, for reading it in place. It leaves the scope of
    /// `withUnsafeBufferPointer`: by invariant 2 the storage stays where it is and unchanged
    /// while an evaluation borrows the activation that holds the box.
    @inlinable @inline(__always) func valuePointer(at position: Int) -> UnsafePointer<Value> {
        dict.values.withUnsafeBufferPointer { $0.baseAddress! + position }
    }

    /// `position(of:bits:hint:)` whose search of a small map compares string keys in place:
    /// keys of another byte count are passed over without a call, where the dictionary's own
    /// search copied every key it passed and called `==` on it. Misses (an optional attribute
    /// that is absent) pass over every key.
    @inline(__always)
    func positionInPlace(of key: MapKey, bits: MapKeyBits, hint: Int) -> Int? {
        if hint >= 0, hint < dict.count, dict.keys.withContiguousStorageIfAvailable({
            bits.matches(UnsafeRawPointer($0.baseAddress! + hint))
        }) == true { return hint }
        // OrderedSet searches maps this small linearly as well (it hashes larger ones).
        guard case let .string(s) = key, dict.count <= 16 else { return position(of: key, hint: hint) }
        let searched: Int?? = dict.keys.withContiguousStorageIfAvailable { keys in
            let n = s.utf8.count
            for i in keys.indices {
                if case let .string(t) = keys[i], t.utf8.count == n, StringBytes.equal(t, s) { return i }
            }
            return nil
        }
        if let searched { return searched }
        return position(of: key, hint: hint)
    }
}
