#if canImport(Glibc)
import Glibc
#endif

/// Who made a call, as an audit entry records it: Cerbos's `peer.address`, plus (beyond Cerbos)
/// the credentials of a Unix-socket peer and its executable, which on a node-local socket say far
/// more than an address.
public struct AuditPeer: Sendable, Hashable {
    /// `unix:<socket path>`, `ip:port`, or empty.
    public var address: String
    /// The peer's `SO_PEERCRED`, for a Unix-domain connection.
    public var credentials: PeerCredentials?
    /// `/proc/<pid>/exe` of the peer, when the pid is known and the link readable.
    public var executable: String?
    /// The HTTP `User-Agent`, when there is one.
    public var userAgent: String?

    /// Creates a peer.
    public init(address: String = "", credentials: PeerCredentials? = nil, executable: String? = nil, userAgent: String? = nil) {
        self.address = address
        self.credentials = credentials
        self.executable = executable
        self.userAgent = userAgent
    }

    /// A Unix-socket peer: its credentials and, read once here (per connection), its executable.
    public static func unix(path: String?, credentials: PeerCredentials?) -> AuditPeer {
        var peer = AuditPeer(address: path.map { "unix:" + $0 } ?? "unix:", credentials: credentials)
        if let pid = credentials?.pid, pid > 0 { peer.executable = executablePath(pid: pid) }
        return peer
    }

    /// The target of `/proc/<pid>/exe`, or nil when it cannot be read (another user's process
    /// without CAP_SYS_PTRACE, a process that has exited).
    static func executablePath(pid: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { readlink("/proc/\(pid)/exe", $0, b.count) }
        }
        guard n > 0 else { return nil }
        return String(decoding: buffer[..<n], as: UTF8.self)
    }
}
