/// cel-go `ext.Network`: `ip()`, `cidr()`, `isIP`, `isCIDR`, `ip.isCanonical` and the members of
/// `net.IP` and `net.CIDR` (incl. `isMask`), parsing as Go's `net/netip` with zones and IPv4-mapped IPv6 rejected.
public struct NetworkLibrary: Library {
    /// The library; it has no options.
    public init() {}
    /// The library name used in diagnostics.
    public var name: String { "cel.ext.network" }
    /// Checker declarations of the functions.
    public var declarations: [FunctionDecl] { Declarations.networkExtension }
    /// The type identifiers `net.IP` and `net.CIDR`.
    public var identifierDeclarations: [VariableDecl] { Declarations.networkTypeIdentifiers }

    /// Type identifiers as runtime type values.
    public var constants: [(name: String, value: Value)] {
        [("net.IP", .type(IPValue.type)), ("net.CIDR", .type(CIDRValue.type))]
    }

    static let ip = ArgKind.object(IPValue.type.name)
    static let cidr = ArgKind.object(CIDRValue.type.name)

    /// cel-go's `parseIPAddr`.
    public static func parseIP(_ s: String) -> Result<IPAddress, EvalError> {
        guard let addr = IPAddress(parsing: s) else {
            return .failure(EvalError("IP Address \(StringsLibrary.quote(s)) parse error during conversion from string"))
        }
        if !addr.zone.isEmpty { return .failure(EvalError("IP address \(StringsLibrary.quote(s)) with zone value is not allowed")) }
        if addr.is4In6 { return .failure(EvalError("IPv4-mapped IPv6 address \(StringsLibrary.quote(s)) is not allowed")) }
        return .success(addr)
    }

    /// cel-go's `parseCIDR`.
    public static func parseCIDR(_ s: String) -> Result<CIDRValue, EvalError> {
        guard let prefix = CIDRValue(parsing: s) else {
            return .failure(EvalError("CIDR \(StringsLibrary.quote(s)) parse error during conversion from string"))
        }
        if prefix.address.is4In6 { return .failure(EvalError("IPv4-mapped IPv6 address \(StringsLibrary.quote(s)) is not allowed")) }
        return .success(prefix)
    }

    private static func ipMember(_ name: String, _ id: String, _ f: @escaping @Sendable (IPAddress) -> Value) -> FunctionBinding {
        FunctionBinding(name, [.unary(id, ip, isMember: true) { v in
            guard case let .object(o) = v, let x = o as? IPValue else { return Ext.fail(name, v) }
            return f(x.address)
        }])
    }

    private static func cidrMember(_ name: String, _ id: String, _ f: @escaping @Sendable (CIDRValue) -> Value) -> FunctionBinding {
        FunctionBinding(name, [.unary(id, cidr, isMember: true) { v in
            guard case let .object(o) = v, let x = o as? CIDRValue else { return Ext.fail(name, v) }
            return f(x)
        }])
    }

    /// Runtime overloads, with cel-go overload ids.
    public var functions: [FunctionBinding] {
        typealias N = NetworkLibrary
        return [
            FunctionBinding("ip", [
                .unary("string_to_ip", K.string) { v in
                    guard case let .string(s) = v else { return Ext.fail("ip", v) }
                    switch N.parseIP(s) {
                    case let .success(a): return .object(IPValue(a))
                    case let .failure(e): return .error(e)
                    }
                },
                .unary("cidr_ip", N.cidr, isMember: true) { v in
                    guard case let .object(o) = v, let c = o as? CIDRValue else { return Ext.fail("ip", v) }
                    return .object(IPValue(c.address))
                },
            ]),
            FunctionBinding("cidr", [.unary("string_to_cidr", K.string) { v in
                guard case let .string(s) = v else { return Ext.fail("cidr", v) }
                switch N.parseCIDR(s) {
                case let .success(c): return .object(c)
                case let .failure(e): return .error(e)
                }
            }]),
            FunctionBinding("string", [
                .unary("ip_to_string", N.ip) { v in
                    guard case let .object(o) = v, let x = o as? IPValue else { return Ext.fail("string", v) }
                    return .string(x.address.description)
                },
                .unary("cidr_to_string", N.cidr) { v in
                    guard case let .object(o) = v, let x = o as? CIDRValue else { return Ext.fail("string", v) }
                    return .string(x.description)
                },
            ]),
            FunctionBinding("isIP", [.unary("is_ip", K.string) { v in
                guard case let .string(s) = v else { return Ext.fail("isIP", v) }
                if case .success = N.parseIP(s) { return .bool(true) }
                return .bool(false)
            }]),
            FunctionBinding("isCIDR", [.unary("is_cidr", K.string) { v in
                guard case let .string(s) = v else { return Ext.fail("isCIDR", v) }
                if case .success = N.parseCIDR(s) { return .bool(true) }
                return .bool(false)
            }]),
            FunctionBinding("ip.isCanonical", [.unary("ip_is_canonical", K.string) { v in
                guard case let .string(s) = v else { return Ext.fail("ip.isCanonical", v) }
                switch N.parseIP(s) {
                case let .success(a): return .bool(a.description == s)
                case let .failure(e): return .error(e)
                }
            }]),
            N.ipMember("family", "ip_family") { .int($0.is4 ? 4 : 6) },
            N.ipMember("isUnspecified", "ip_is_unspecified") { .bool($0.isUnspecified) },
            N.ipMember("isLoopback", "ip_is_loopback") { .bool($0.isLoopback) },
            N.ipMember("isGlobalUnicast", "ip_is_global_unicast") { .bool($0.isGlobalUnicast) },
            N.ipMember("isLinkLocalMulticast", "ip_is_link_local_multicast") { .bool($0.isLinkLocalMulticast) },
            N.ipMember("isLinkLocalUnicast", "ip_is_link_local_unicast") { .bool($0.isLinkLocalUnicast) },
            FunctionBinding("containsIP", [
                .binary("cidr_contains_ip_ip", N.cidr, N.ip, isMember: true) { a, b in
                    guard case let .object(x) = a, let c = x as? CIDRValue, case let .object(y) = b, let ip = y as? IPValue else {
                        return Ext.fail("containsIP", a, b)
                    }
                    return .bool(c.contains(ip.address))
                },
                .binary("cidr_contains_ip_string", N.cidr, K.string, isMember: true) { a, b in
                    guard case let .object(x) = a, let c = x as? CIDRValue, case let .string(s) = b else {
                        return Ext.fail("containsIP", a, b)
                    }
                    switch N.parseIP(s) {
                    case let .success(ip): return .bool(c.contains(ip))
                    case let .failure(e): return .error(e)
                    }
                },
            ]),
            FunctionBinding("containsCIDR", [
                .binary("cidr_contains_cidr", N.cidr, N.cidr, isMember: true) { a, b in
                    guard case let .object(x) = a, let c = x as? CIDRValue, case let .object(y) = b, let d = y as? CIDRValue else {
                        return Ext.fail("containsCIDR", a, b)
                    }
                    return .bool(c.contains(d))
                },
                .binary("cidr_contains_cidr_string", N.cidr, K.string, isMember: true) { a, b in
                    guard case let .object(x) = a, let c = x as? CIDRValue, case let .string(s) = b else {
                        return Ext.fail("containsCIDR", a, b)
                    }
                    switch N.parseCIDR(s) {
                    case let .success(d): return .bool(c.contains(d))
                    case let .failure(e): return .error(e)
                    }
                },
            ]),
            N.cidrMember("masked", "cidr_masked") { .object($0.masked) },
            N.cidrMember("prefixLength", "cidr_prefix_length") { .int(Int64($0.bits)) },
            N.cidrMember("isMask", "cidr_is_mask") { .bool($0.address == $0.masked.address) },
        ]
    }
}
