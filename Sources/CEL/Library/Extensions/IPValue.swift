/// A CEL `net.IP` value.
public struct IPValue: ObjectValue, Hashable {
    /// The CEL type `net.IP`.
    public static let type = CELType("net.IP")
    /// The address.
    public let address: IPAddress
    /// Wraps `address`.
    public init(_ address: IPAddress) { self.address = address }
    /// `net.IP`.
    public var celType: CELType { IPValue.type }
    /// IP values have no fields.
    public func field(_ name: String) -> Value? { nil }
    /// Equal to an IP value with the same address (an IPv4 address never equals an IPv6 one).
    public func isEqual(to other: any ObjectValue) -> Bool { (other as? IPValue)?.address == address }
}
