/// cel-go `ext.Encoders`: `base64.encode`, `base64.decode` (padded or not) and `json.encode`.
public struct EncodersLibrary: Library {
    /// The library; it has no options.
    public init() {}
    /// The library name used in diagnostics.
    public var name: String { "cel.ext.encoders" }
    /// Checker declarations of the functions.
    public var declarations: [FunctionDecl] { Declarations.encodersExtension }

    /// Runtime overloads, with cel-go overload ids.
    public var functions: [FunctionBinding] {
        [
            FunctionBinding("base64.encode", [.budgetedUnary("base64_encode_bytes", K.bytes) { a, budget in
                guard case let .bytes(b) = a else { return Ext.fail("base64.encode", a) }
                if let e = budget.admitString((b.count + 2) / 3 * 4, by: "base64.encode") { return e }
                return .string(Base64.encode(b))
            }]),
            FunctionBinding("base64.decode", [.budgetedUnary("base64_decode_string", K.string) { a, budget in
                guard case let .string(s) = a else { return Ext.fail("base64.decode", a) }
                if let e = budget.admitString(s.utf8.count, by: "base64.decode") { return e }
                guard let b = Base64.decode(s) else { return .err("illegal base64 data in input") }
                return .bytes(b)
            }]),
            FunctionBinding("json.encode", [.budgetedUnary("json_encode_dyn", .any) { a, budget in
                let bound = a.renderedSizeBound(bytesPerByte: 6, cap: budget.limits.maxStringSize)
                if let e = budget.admitString(bound, by: "json.encode") { return e }
                var out = ""
                if let e = JSONEncoding.append(a, to: &out) { return .error(e) }
                return .string(out)
            }]),
        ]
    }
}

/// Standard base64 (RFC 4648 §4). Decoding accepts padded and unpadded input, as cel-go tries
/// `StdEncoding` then `RawStdEncoding`; like Go it skips CR and LF.
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let reverse: [Int8] = {
        var t = [Int8](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = Int8(i) }
        return t
    }()

    static func encode(_ b: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((b.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= b.count {
            let n = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])
            for s in [18, 12, 6, 0] { out.append(alphabet[Int((n >> UInt32(s)) & 63)]) }
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
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
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
