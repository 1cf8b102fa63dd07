extension StringBytes {
    /// Whether `a` and `b` have the same representation (one small string's inline bytes, or
    /// one shared buffer), hence the same bytes (invariant 5 of `FastPaths`). False proves
    /// nothing, and is the answer whenever the fast path is off. No calls, so callers can run
    /// it on strings read in place without the compiler retaining their containers.
    @inline(__always)
    static func sameRepresentation(_ a: String, _ b: String) -> Bool {
        // (The size test is constant-folded; it keeps the cast to 64-bit layouts. The switch is
        // read last, only when the words are equal.)
        MemoryLayout<String>.size == 16
            && unsafeBitCast(a, to: (UInt64, UInt64).self) == unsafeBitCast(b, to: (UInt64, UInt64).self)
            && FastPaths.stringRepresentation
    }

    /// Whether `String` is two words whose equality means equal bytes on this toolchain: a
    /// copy has the same words, and strings with other bytes have other words.
    static func probeRepresentation() -> Bool {
        guard MemoryLayout<String>.size == 16 else { return false }
        let small = "kkk", long = String(repeating: "long string ", count: 4)
        func words(_ s: String) -> (UInt64, UInt64) { unsafeBitCast(s, to: (UInt64, UInt64).self) }
        let copy = long
        return words(small) == words("kkk") && words(copy) == words(long) && words(small) != words("kkj")
            && words(long) != words(String(repeating: "long string ", count: 3))
    }
}
