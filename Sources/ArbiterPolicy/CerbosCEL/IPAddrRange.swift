import CEL

/// `ip.inIPAddrRange(cidr)`: whether the address lies in the CIDR block, parsed as Go's
/// `net.ParseIP` and `net.ParseCIDR` parse them (no zones, no leading zeros in IPv4 octets,
/// IPv4-mapped IPv6 addresses match IPv4 blocks).
enum IPAddrRange {
    /// An address as Go's `net.IP` holds it: 16 bytes, IPv4 in the `::ffff:0:0/96` form.
    struct Address: Equatable {
        var bytes: [UInt8]

        /// The four IPv4 bytes when the address is IPv4 or IPv4-mapped (Go's `To4`).
        var ipv4: [UInt8]? {
            guard bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff else { return nil }
            return Array(bytes[12..<16])
        }
    }

    /// Go's `netip.ParseAddr` without zones; returns the address and whether it was written as IPv4.
    static func parse(_ s: String) -> (Address, isIPv4: Bool)? {
        let chars = Array(s.utf8)
        if chars.contains(UInt8(ascii: ":")) {
            return parseIPv6(chars).map { (Address(bytes: $0), false) }
        }
        guard let v4 = parseIPv4(chars[...]) else { return nil }
        return (Address(bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] + v4), true)
    }

    static func parseIPv4(_ s: ArraySlice<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        var value = 0, digits = 0
        var leadingZero = false
        for c in s {
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                if digits == 1 && leadingZero { return nil }
                if digits == 0 && c == UInt8(ascii: "0") { leadingZero = true }
                value = value * 10 + Int(c - UInt8(ascii: "0"))
                digits += 1
                if value > 255 { return nil }
            } else if c == UInt8(ascii: ".") {
                guard digits > 0, out.count < 3 else { return nil }
                out.append(UInt8(value))
                value = 0; digits = 0; leadingZero = false
            } else {
                return nil
            }
        }
        guard digits > 0, out.count == 3 else { return nil }
        out.append(UInt8(value))
        return out
    }

    static func parseIPv6(_ s: [UInt8]) -> [UInt8]? {
        let colon = UInt8(ascii: ":")
        if s.contains(UInt8(ascii: "%")) { return nil }
        var out = [UInt8](repeating: 0, count: 16)
        var i = 0, p = 0
        var ellipsis = -1
        if s.count >= 2 && s[0] == colon && s[1] == colon {
            ellipsis = 0
            p = 2
            if p == s.count { return out }
        }
        while i < 16 {
            var q = p, acc = 0
            while q < s.count, let h = hexValue(s[q]) {
                acc = acc * 16 + h
                q += 1
                if q - p > 4 { return nil }
            }
            if q == p { return nil }
            if q < s.count && s[q] == UInt8(ascii: ".") {
                // An embedded IPv4 address ends the string and fills the last four bytes.
                guard ellipsis >= 0 || i == 12, i + 4 <= 16, let v4 = parseIPv4(s[p...]) else { return nil }
                out.replaceSubrange(i..<(i + 4), with: v4)
                i += 4
                p = s.count
                break
            }
            out[i] = UInt8(acc >> 8)
            out[i + 1] = UInt8(acc & 0xff)
            i += 2
            p = q
            if p == s.count { break }
            guard s[p] == colon else { return nil }
            p += 1
            if p == s.count { return nil }
            if s[p] == colon {
                guard ellipsis < 0 else { return nil }
                ellipsis = i
                p += 1
                if p == s.count { break }
            }
        }
        guard p == s.count else { return nil }
        if i < 16 {
            guard ellipsis >= 0 else { return nil }
            let shift = 16 - i
            for j in stride(from: i - 1, through: ellipsis, by: -1) { out[j + shift] = out[j] }
            for j in ellipsis..<(ellipsis + shift) { out[j] = 0 }
        } else if ellipsis >= 0 {
            return nil
        }
        return out
    }

    static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(c - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(c - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }

    /// A parsed CIDR block: the masked network and the mask, 4 or 16 bytes each as Go keeps them.
    struct Network {
        var ip: [UInt8]
        var mask: [UInt8]

        /// Go's `IPNet.Contains`.
        func contains(_ address: Address) -> Bool {
            var nn = ip, m = mask
            if nn.count == 16, let v4 = Address(bytes: nn).ipv4 { nn = v4 }
            if m.count == 16 && nn.count == 4 { m = Array(m[12..<16]) }
            let candidate = address.ipv4 ?? address.bytes
            guard candidate.count == nn.count, m.count == nn.count else { return false }
            for k in 0..<nn.count where nn[k] & m[k] != candidate[k] & m[k] { return false }
            return true
        }
    }

    /// Go's `net.ParseCIDR`; nil on any syntax error.
    static func parseCIDR(_ s: String) -> Network? {
        let parts = GoStrings.split(s, "/")
        guard parts.count >= 2 else { return nil }
        let addrText = parts[0], maskText = parts.dropFirst().joined(separator: "/")
        guard let (addr, isIPv4) = parse(addrText) else { return nil }
        let bits = isIPv4 ? 32 : 128
        guard !maskText.isEmpty, maskText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let prefix = Int(maskText), prefix <= bits else { return nil }
        var mask = [UInt8](repeating: 0, count: bits / 8)
        for k in 0..<prefix { mask[k / 8] |= UInt8(0x80) >> UInt8(k % 8) }
        // Go masks the 16-byte form; a 4-byte mask applies to the IPv4 part only.
        let base = isIPv4 ? Array(addr.bytes[12..<16]) : addr.bytes
        return Network(ip: zip(base, mask).map { $0 & $1 }, mask: mask)
    }

    /// The CEL implementation, with Cerbos's error messages.
    static func inIPAddrRange(_ ipValue: Value, _ cidrValue: Value) -> Value {
        guard case let .string(ip) = ipValue, case let .string(cidr) = cidrValue else { return .noSuchOverload("inIPAddrRange") }
        guard let (addr, _) = parse(ip) else { return .err("invalid IP address: \(ip)") }
        guard let network = parseCIDR(cidr) else { return .err("invalid CIDR address: \(cidr)") }
        return .bool(network.contains(addr))
    }

    static var functions: [FunctionBinding] {
        [FunctionBinding("inIPAddrRange", [.binary("inIPAddrRange_string", .kind(.string), .kind(.string), isMember: true) {
            inIPAddrRange($0, $1)
        }])]
    }

    static var declarations: [FunctionDecl] {
        [FunctionDecl("inIPAddrRange", .member("inIPAddrRange_string", [.string, .string], .bool))]
    }
}
