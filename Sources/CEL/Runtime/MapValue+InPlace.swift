extension MapValue.Box {
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
