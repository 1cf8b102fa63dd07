#if canImport(Glibc)
import Glibc
#endif

extension ListeningSocket {
    /// Binds a TCP listener on a numeric IPv4 or IPv6 address (`127.0.0.1`, `::1`) and `port`.
    /// Names are not resolved: the operator states exactly which interface is exposed.
    public static func bindTCP(host: String, port: Int, backlog: CInt = 256) throws -> ListeningSocket {
        guard (0...65535).contains(port) else { throw SocketSetupError("TCP port \(port) is out of range 0-65535") }
        var v4 = in_addr()
        var v6 = in6_addr()
        let isV4 = inet_pton(AF_INET, host, &v4) == 1
        guard isV4 || inet_pton(AF_INET6, host, &v6) == 1 else {
            throw SocketSetupError("\"\(host)\" is not a numeric IPv4 or IPv6 address")
        }
        let family = isV4 ? AF_INET : AF_INET6
        let fd = socket(family, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue) | CInt(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw SocketSetupError("cannot create a TCP socket: \(errnoText())") }
        var ok = false
        defer { if !ok { close(fd) } }
        var one: CInt = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<CInt>.size))
        let display = isV4 ? "\(host):\(port)" : "[\(host)]:\(port)"
        let bound: CInt
        if isV4 {
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr = v4
            bound = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        } else {
            var addr = sockaddr_in6()
            addr.sin6_family = sa_family_t(AF_INET6)
            addr.sin6_port = in_port_t(UInt16(port).bigEndian)
            addr.sin6_addr = v6
            bound = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
        guard bound == 0 else { throw SocketSetupError("cannot bind \(display): \(errnoText())") }
        guard listen(fd, backlog) == 0 else { throw SocketSetupError("cannot listen on \(display): \(errnoText())") }
        ok = true
        return ListeningSocket(descriptor: fd, path: nil, ownsPath: false, isUnixDomain: false, displayName: display)
    }

    /// The port a TCP listener is bound to (useful after binding port 0), or nil.
    public var boundTCPPort: Int? {
        var storage = sockaddr_storage()
        var size = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &size) }
        }
        guard rc == 0 else { return nil }
        switch CInt(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) } }
        case AF_INET6:
            return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) } }
        default:
            return nil
        }
    }
}
