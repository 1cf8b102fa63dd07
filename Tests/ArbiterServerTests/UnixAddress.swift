#if canImport(Glibc)
import Glibc
#endif

/// Calls `body` with a `sockaddr_un` for `path`, as the generic address `bind` and `connect`
/// take: every socket the live tests open starts here.
func withUnixAddress<R>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
    var addr = sockaddr_un()
    addr.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &addr.sun_path) { raw in
        // Keep the terminating NUL; the tests' temporary paths are far shorter than the limit.
        for (i, b) in path.utf8.prefix(raw.count - 1).enumerated() { raw[i] = b }
    }
    return withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
}

/// A Unix socket of `type` bound (`bind`) or connected (`connect`) to `path`, with receives
/// timing out after `receiveTimeoutSeconds`. On failure the socket is closed here and an error
/// thrown, so a caller only ever stores a working descriptor and closes it exactly once.
func unixSocket(_ path: String, type: Int32, connecting: Bool, receiveTimeoutSeconds: Int) throws -> CInt {
    let fd = socket(AF_UNIX, type, 0)
    guard fd >= 0 else { throw TestSetupError("socket: \(String(cString: strerror(errno)))") }
    let rc = withUnixAddress(path) { connecting ? connect(fd, $0, $1) : bind(fd, $0, $1) }
    guard rc == 0 else {
        let reason = String(cString: strerror(errno))
        close(fd)
        throw TestSetupError("\(connecting ? "connect" : "bind") \(path): \(reason)")
    }
    var tv = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    return fd
}
