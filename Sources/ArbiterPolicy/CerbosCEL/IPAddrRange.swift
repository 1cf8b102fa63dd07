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

    /// Go's `net.ParseIP` (cel-ext's `netip.ParseAddr` port, zones rejected); returns the
    /// address in 16-byte form and whether it was written as IPv4.
    static func parse(_ s: String) -> (Address, isIPv4: Bool)? {
        guard let ip = IPAddress(parsing: s), ip.zone.isEmpty else { return nil }
        if ip.is4 { return (Address(bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] + ip.bytes), true) }
        return (Address(bytes: ip.bytes), false)
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
