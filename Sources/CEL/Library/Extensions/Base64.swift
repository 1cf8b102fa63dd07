/// Standard base64 (RFC 4648 §4). Decoding accepts padded and unpadded input, as cel-go tries
/// `StdEncoding` then `RawStdEncoding`; like Go it skips CR and LF.
package enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let reverse: [Int8] = {
        var t = [Int8](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = Int8(i) }
        return t
    }()

    /// `b` in standard base64 with padding.
    package static func encode(_ b: [UInt8]) -> String {
        var out: [UInt8] = []
        encode(b, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `b` in standard base64 with padding to `out` (the JSON writer's bytes).
    package static func encode(_ b: [UInt8], into out: inout [UInt8]) {
        out.reserveCapacity(out.count + (b.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= b.count {
            let n = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            i += 3
        }
        let rest = b.count - i
        if rest > 0 {
            var n = UInt32(b[i]) << 16
            if rest == 2 { n |= UInt32(b[i + 1]) << 8 }
            out.append(alphabet[Int((n >> 18) & 63)])
            out.append(alphabet[Int((n >> 12) & 63)])
            out.append(rest == 2 ? alphabet[Int((n >> 6) & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
    }

    package static func decode(_ text: String) -> [UInt8]? {
        var chars = Array(text.utf8).filter { $0 != 10 && $0 != 13 }
        if chars.count % 4 == 0, chars.count >= 4 {
            // Padded form: at most two '=' and only at the end.
            var pad = 0
            while pad < 2, chars.last == UInt8(ascii: "=") { chars.removeLast(); pad += 1 }
            if pad > 0, chars.count % 4 + pad != 4 { return nil }
        }
        if chars.count % 4 == 1 { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count * 3 / 4)
        var acc: UInt32 = 0, bits = 0
        for c in chars {
            let v = reverse[Int(c)]
            guard v >= 0 else { return nil }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }
}
