#if canImport(Glibc)
import Glibc
#endif
// For `struct stat`'s members on Linux (see Audit/AuditFileSink.swift); the release build's
// whole-module compile attributes them to CoreFoundation here too.
import CoreFoundation
import CSystemd
import Logging

/// A bound, listening stream socket (Unix-domain, or TCP for the HTTP front end) ready to be
/// adopted by a server.
public struct ListeningSocket: Sendable {
    /// The file descriptor.
    public var descriptor: CInt
    /// The filesystem path, when known.
    public var path: String?
    /// Whether this process created the path (and so removes it on shutdown).
    public var ownsPath: Bool
    /// Whether peers connect over a Unix-domain socket (and so carry credentials).
    public var isUnixDomain: Bool
    /// How logs name the socket: its path, its TCP address or its descriptor.
    public var displayName: String

    /// Creates a value for an existing descriptor.
    public init(descriptor: CInt, path: String?, ownsPath: Bool, isUnixDomain: Bool = true, displayName: String? = nil) {
        self.descriptor = descriptor
        self.path = path
        self.ownsPath = ownsPath
        self.isUnixDomain = isUnixDomain
        self.displayName = displayName ?? path ?? "fd \(descriptor)"
    }

    /// The Unix socket systemd socket activation passed for the JSON-RPC protocol, if any: the
    /// one whose `FileDescriptorName=` is not `http` (the first such). The environment variables
    /// are cleared so children do not inherit them; call once per process.
    public static func fromSystemd() throws -> ListeningSocket? {
        try SystemdSockets.take().jsonRPC
    }

    /// Binds `path` with `mode` and `group` applied before `listen`, so no peer can connect
    /// through a socket with the wrong permissions. A stale socket (nobody listening) is
    /// replaced; a live one or a path that is not a socket is left alone and reported.
    public static func bind(path: String, mode: UInt32, group: gid_t?, backlog: CInt = 256, logger: Logger) throws -> ListeningSocket {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard path.utf8.count < capacity else {
            throw SocketSetupError("socket path \(path) is \(path.utf8.count) bytes; Unix socket paths must be shorter than \(capacity)")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() { raw[i] = b }
            raw[path.utf8.count] = 0
        }
        try removeStaleSocket(path: path, address: addr, logger: logger)

        let fd = socket(AF_UNIX, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue) | CInt(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw SocketSetupError("cannot create a Unix socket: \(errnoText())") }
        var ok = false
        defer { if !ok { close(fd) } }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw SocketSetupError("cannot bind \(path): \(errnoText())") }
        var created = true
        defer { if !ok && created { unlink(path) } }
        guard chmod(path, mode_t(mode)) == 0 else {
            throw SocketSetupError("cannot set mode \(String(mode, radix: 8)) on \(path): \(errnoText())")
        }
        if let group {
            guard chown(path, uid_t.max, group) == 0 else {
                throw SocketSetupError("cannot set group \(group) on \(path): \(errnoText()) (the daemon must be root or a member of the group)")
            }
        }
        guard listen(fd, backlog) == 0 else { throw SocketSetupError("cannot listen on \(path): \(errnoText())") }
        ok = true
        created = false
        return ListeningSocket(descriptor: fd, path: path, ownsPath: true)
    }

    private static func removeStaleSocket(path: String, address: sockaddr_un, logger: Logger) throws {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            if errno == ENOENT { return }
            throw SocketSetupError("cannot inspect \(path): \(errnoText())")
        }
        guard st.st_mode & S_IFMT == S_IFSOCK else {
            let kind = st.st_mode & S_IFMT == S_IFDIR ? "a directory" : st.st_mode & S_IFMT == S_IFREG ? "a regular file" : "not a socket"
            throw SocketSetupError("\(path) exists and is \(kind); refusing to delete it. Choose another socket path or remove it by hand")
        }
        let probe = socket(AF_UNIX, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { throw SocketSetupError("cannot create a Unix socket: \(errnoText())") }
        defer { close(probe) }
        var addr = address
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if rc == 0 {
            throw SocketSetupError("another server is already listening on \(path); not taking it over. Stop it first or choose another socket path")
        }
        let err = errno
        guard err == ECONNREFUSED else {
            throw SocketSetupError("cannot tell whether \(path) is in use: connect failed: \(String(cString: strerror(err)))")
        }
        guard unlink(path) == 0 else { throw SocketSetupError("cannot remove stale socket \(path): \(errnoText())") }
        logger.notice("removed stale socket left by a previous process", metadata: ["path": "\(path)"])
    }

    /// Resolves a group given by name or number.
    public static func groupID(_ nameOrNumber: String) throws -> gid_t {
        if let n = gid_t(nameOrNumber) { return n }
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buf = [CChar](repeating: 0, count: 16384)
        let rc = getgrnam_r(nameOrNumber, &entry, &buf, buf.count, &result)
        guard rc == 0, let found = result else {
            throw SocketSetupError("unknown group \"\(nameOrNumber)\" for the socket")
        }
        return found.pointee.gr_gid
    }
}

func errnoText() -> String { String(cString: strerror(errno)) }
