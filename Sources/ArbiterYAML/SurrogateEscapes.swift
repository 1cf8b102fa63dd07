/// Rewrites JSON-style UTF-16 surrogate pair escapes (`\ud83d\ude00`) into the single `\U0001F600`
/// escape that libyaml understands; libyaml rejects each half on its own, but JSON encoders emit
/// pairs for every character outside the Basic Multilingual Plane.
///
/// Columns after a rewritten pair on the same line shift left by two; lines are unaffected.
enum SurrogateEscapes {
    /// The rewritten bytes, or nil when there is nothing to rewrite (the common case, found with one scan).
    static func rewrite(_ bytes: [UInt8]) -> [UInt8]? {
        guard let first = firstPair(in: bytes, from: 0) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        out.append(contentsOf: bytes[0..<first.start])
        var pair: (start: Int, scalar: UInt32)? = first
        var copied = first.start
        while let current = pair {
            out.append(contentsOf: bytes[copied..<current.start])
            out.append(contentsOf: Array("\\U".utf8))
            let hex = String(current.scalar, radix: 16, uppercase: true)
            out.append(contentsOf: Array((String(repeating: "0", count: 8 - hex.count) + hex).utf8))
            copied = current.start + 12
            pair = firstPair(in: bytes, from: copied)
        }
        out.append(contentsOf: bytes[copied...])
        return out
    }

    private static func hexValue(_ bytes: [UInt8], _ at: Int) -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for b in bytes[at..<at + 4] {
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }

    private static func firstPair(in bytes: [UInt8], from start: Int) -> (start: Int, scalar: UInt32)? {
        var i = start
        let backslash = UInt8(ascii: "\\"), u = UInt8(ascii: "u")
        while i + 12 <= bytes.count {
            guard bytes[i] == backslash else { i += 1; continue }
            if bytes[i + 1] == backslash { i += 2; continue }
            if bytes[i + 1] == u, let high = hexValue(bytes, i + 2), (0xD800...0xDBFF).contains(high),
               bytes[i + 6] == backslash, bytes[i + 7] == u, let low = hexValue(bytes, i + 8), (0xDC00...0xDFFF).contains(low) {
                return (i, 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            }
            i += 2
        }
        return nil
    }
}
