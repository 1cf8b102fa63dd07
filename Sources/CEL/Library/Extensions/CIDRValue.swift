/// A CEL `net.CIDR` value: an address (not necessarily masked, as `netip.Prefix`) and a prefix length.
public struct CIDRValue: ObjectValue, Hashable, CustomStringConvertible {
    /// The CEL type `net.CIDR`.
    public static let type = CELType("net.CIDR")
    /// The address as written (host bits kept).
    public let address: IPAddress
    /// The prefix length.
    public let bits: Int
    /// A prefix of `bits` bits at `address`.
    public init(address: IPAddress, bits: Int) { self.address = address; self.bits = bits }
    /// `net.CIDR`.
    public var celType: CELType { CIDRValue.type }
    /// CIDR values have no fields.
    public func field(_ name: String) -> Value? { nil }
    /// Equal to a CIDR value with the same address and length (`netip.Prefix` equality).
    public func isEqual(to other: any ObjectValue) -> Bool { (other as? CIDRValue) == self }
    /// `addr/bits`, as `netip.Prefix.String()`.
    public var description: String { "\(address)/\(bits)" }

    /// `netip.ParsePrefix`: `addr/bits`, no zone, bits in decimal without leading zeros.
    public init?(parsing s: String) {
        guard let slash = s.lastIndex(of: "/") else { return nil }
        let addrText = String(s[..<slash]), bitsText = Array(s[s.index(after: slash)...].utf8)
        guard let addr = IPAddress(parsing: addrText), addr.zone.isEmpty else { return nil }
        guard !bitsText.isEmpty, bitsText.count <= 3, bitsText.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        if bitsText.count > 1 && bitsText[0] == 48 { return nil }
        let bits = bitsText.reduce(0) { $0 * 10 + Int($1 - 48) }
        guard bits <= addr.bitLength else { return nil }
        self.init(address: addr, bits: bits)
    }

    /// `netip.Prefix.Contains`: same family and the first `bits` bits equal.
    public func contains(_ ip: IPAddress) -> Bool {
        guard ip.zone.isEmpty, ip.bitLength == address.bitLength else { return false }
        return ip.masked(bits) == address.masked(bits)
    }

    /// cel-go's `containsCIDR`: the prefixes overlap and this one is no longer than `other`.
    public func contains(_ other: CIDRValue) -> Bool {
        guard other.address.bitLength == address.bitLength, bits <= other.bits else { return false }
        return other.address.masked(bits) == address.masked(bits)
    }

    /// The prefix with its host bits cleared.
    public var masked: CIDRValue { CIDRValue(address: address.masked(bits), bits: bits) }
}
