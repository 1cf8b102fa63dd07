/// An IPv4 or IPv6 address parsed as Go's `net/netip` parses it (no zones here: cel-go rejects
/// them). IPv4 addresses keep four bytes, IPv6 sixteen, so `1.2.3.4` and `::ffff:1.2.3.4` differ.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 or 16 bytes, network order.
    public let bytes: [UInt8]
    /// The zone (`fe80::1%eth0`), empty when absent.
    public let zone: String

    /// An address from its bytes (4 or 16) and zone.
    public init(bytes: [UInt8], zone: String = "") { self.bytes = bytes; self.zone = zone }

    /// Whether this is an IPv4 address (four bytes).
    public var is4: Bool { bytes.count == 4 }
    /// An IPv4 address embedded in IPv6 as `::ffff:a.b.c.d`.
    public var is4In6: Bool { bytes.count == 16 && bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF }
    /// 32 or 128.
    public var bitLength: Int { bytes.count * 8 }

    /// `netip.ParseAddr`; nil on bad syntax.
    public init?(parsing s: String) {
        let b = Array(s.utf8)
        for c in b {
            if c == UInt8(ascii: ".") {
                guard let v4 = IPAddress.parse4(b[...]) else { return nil }
                self.init(bytes: v4)
                return
            }
            if c == UInt8(ascii: ":") {
                guard let (v6, zone) = IPAddress.parse6(b[...]) else { return nil }
                self.init(bytes: v6, zone: zone)
                return
            }
            if c == UInt8(ascii: "%") { return nil }
        }
        return nil
    }

    static func parse4(_ s: ArraySlice<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        var value = 0, digits = 0, leadingZero = false
        for c in s {
            if c >= 48 && c <= 57 {
                if digits == 1 && leadingZero { return nil }
                if digits == 0 && c == 48 { leadingZero = true }
                value = value * 10 + Int(c - 48)
                digits += 1
                if value > 255 { return nil }
            } else if c == UInt8(ascii: ".") {
                if digits == 0 || out.count == 3 { return nil }
                out.append(UInt8(value))
                value = 0; digits = 0; leadingZero = false
            } else {
                return nil
            }
        }
        if digits == 0 || out.count != 3 { return nil }
        out.append(UInt8(value))
        return out
    }

    static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 48...57: return Int(c - 48)
        case 97...102: return Int(c - 87)
        case 65...70: return Int(c - 55)
        default: return nil
        }
    }

    static func parse6(_ input: ArraySlice<UInt8>) -> ([UInt8], String)? {
        var s = input
        var zone = ""
        if let pct = s.firstIndex(of: UInt8(ascii: "%")) {
            zone = String(decoding: s[(pct + 1)...], as: UTF8.self)
            s = s[..<pct]
            if zone.isEmpty { return nil }
        }
        var ip = [UInt8](repeating: 0, count: 16)
        var ellipsis = -1
        if s.starts(with: [58, 58]) {
            ellipsis = 0
            s = s.dropFirst(2)
            if s.isEmpty { return (ip, zone) }
        }
        var i = 0
        while i < 16 {
            var acc = 0, off = s.startIndex
            while off < s.endIndex, let h = hexValue(s[off]) {
                acc = acc * 16 + h
                off += 1
                if off - s.startIndex > 4 { return nil }
            }
            if off == s.startIndex { return nil }
            if off < s.endIndex, s[off] == UInt8(ascii: ".") {
                if ellipsis < 0 && i != 12 { return nil }
                if i + 4 > 16 { return nil }
                guard let v4 = parse4(s) else { return nil }
                ip.replaceSubrange(i..<(i + 4), with: v4)
                i += 4
                s = s[s.endIndex...]
                break
            }
            ip[i] = UInt8(acc >> 8); ip[i + 1] = UInt8(acc & 0xFF)
            i += 2
            s = s[off...]
            if s.isEmpty { break }
            if s.first != UInt8(ascii: ":") { return nil }
            if s.count == 1 { return nil }
            s = s.dropFirst()
            if s.first == UInt8(ascii: ":") {
                if ellipsis >= 0 { return nil }
                ellipsis = i
                s = s.dropFirst()
                if s.isEmpty { break }
            }
        }
        if !s.isEmpty { return nil }
        if i < 16 {
            if ellipsis < 0 { return nil }
            let n = 16 - i
            for j in stride(from: i - 1, through: ellipsis, by: -1) { ip[j + n] = ip[j] }
            for j in stride(from: ellipsis + n - 1, through: ellipsis, by: -1) { ip[j] = 0 }
        } else if ellipsis >= 0 {
            return nil
        }
        return (ip, zone)
    }

    /// `netip.Addr.String()`: dotted quad, or RFC 5952 IPv6 (longest zero run of two or more
    /// groups collapsed, first on ties), with `::ffff:a.b.c.d` for IPv4-mapped addresses.
    public var description: String {
        if is4 { return bytes.map { String($0) }.joined(separator: ".") }
        var text: String
        if is4In6 {
            text = "::ffff:" + bytes[12...].map { String($0) }.joined(separator: ".")
        } else {
            let groups = (0..<8).map { Int(bytes[2 * $0]) << 8 | Int(bytes[2 * $0 + 1]) }
            var bestStart = -1, bestLen = 0, runStart = -1
            for g in 0...8 {
                if g < 8 && groups[g] == 0 {
                    if runStart < 0 { runStart = g }
                } else if runStart >= 0 {
                    if g - runStart > bestLen && g - runStart >= 2 { bestStart = runStart; bestLen = g - runStart }
                    runStart = -1
                }
            }
            text = ""
            var g = 0
            while g < 8 {
                if g == bestStart {
                    text += "::"
                    g += bestLen
                    continue
                }
                if g > 0 && !text.hasSuffix(":") { text += ":" }
                text += String(groups[g], radix: 16)
                g += 1
            }
        }
        return zone.isEmpty ? text : text + "%" + zone
    }

    /// `0.0.0.0` or `::`.
    public var isUnspecified: Bool { zone.isEmpty && bytes.allSatisfy { $0 == 0 } }
    /// `127.0.0.0/8` or `::1`.
    public var isLoopback: Bool {
        if is4 { return bytes[0] == 127 }
        if is4In6 { return bytes[12] == 127 }
        return bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] == 1
    }
    /// `224.0.0.0/4` or `ff00::/8`.
    public var isMulticast: Bool {
        if is4 { return bytes[0] & 0xF0 == 0xE0 }
        if is4In6 { return bytes[12] & 0xF0 == 0xE0 }
        return bytes[0] == 0xFF
    }
    /// `224.0.0.0/24` or `ff02::/16`.
    public var isLinkLocalMulticast: Bool {
        if is4 { return bytes[0] == 224 && bytes[1] == 0 && bytes[2] == 0 }
        if is4In6 { return bytes[12] == 224 && bytes[13] == 0 && bytes[14] == 0 }
        return bytes[0] == 0xFF && bytes[1] & 0x0F == 0x02
    }
    /// `169.254.0.0/16` or `fe80::/10`.
    public var isLinkLocalUnicast: Bool {
        if is4 { return bytes[0] == 169 && bytes[1] == 254 }
        if is4In6 { return bytes[12] == 169 && bytes[13] == 254 }
        return bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80
    }
    /// Go: not unspecified, not the IPv4 broadcast address, not loopback, multicast or link-local unicast.
    public var isGlobalUnicast: Bool {
        if is4 && bytes.allSatisfy({ $0 == 0xFF }) { return false }
        if is4In6 && bytes[12...].allSatisfy({ $0 == 0xFF }) { return false }
        return !bytes.allSatisfy { $0 == 0 } && !isLoopback && !isMulticast && !isLinkLocalUnicast
    }

    /// The address with every bit after the first `bits` cleared.
    public func masked(_ bits: Int) -> IPAddress {
        var b = bytes
        for i in b.indices {
            let keep = max(0, min(8, bits - i * 8))
            b[i] &= keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
        }
        return IPAddress(bytes: b)
    }
}
