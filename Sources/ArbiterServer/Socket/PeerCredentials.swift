#if canImport(Glibc)
import Glibc
#endif

/// The peer process of an accepted connection, from `SO_PEERCRED`.
public struct PeerCredentials: Sendable, Hashable, CustomStringConvertible {
    /// The peer's pid as seen from our PID namespace; 0 when it lives in another one.
    public var pid: Int32
    /// The peer's effective uid.
    public var uid: UInt32
    /// The peer's effective gid.
    public var gid: UInt32

    /// Creates credentials.
    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    /// `pid=… uid=… gid=…`, explaining a pid of 0.
    public var description: String {
        let p = pid == 0 ? "0 (peer is in another PID namespace)" : "\(pid)"
        return "pid=\(p) uid=\(uid) gid=\(gid)"
    }
}

/// Who may connect: empty lists allow everyone; otherwise a peer whose uid or gid is listed.
public struct PeerPolicy: Sendable, Hashable {
    /// Allowed effective uids.
    public var allowedUIDs: Set<UInt32>
    /// Allowed effective gids.
    public var allowedGIDs: Set<UInt32>

    /// Creates a policy.
    public init(allowedUIDs: Set<UInt32> = [], allowedGIDs: Set<UInt32> = []) {
        self.allowedUIDs = allowedUIDs
        self.allowedGIDs = allowedGIDs
    }

    /// Whether any check is configured.
    public var isRestricted: Bool { !allowedUIDs.isEmpty || !allowedGIDs.isEmpty }

    /// Whether `peer` may talk to the server.
    public func allows(_ peer: PeerCredentials) -> Bool {
        !isRestricted || allowedUIDs.contains(peer.uid) || allowedGIDs.contains(peer.gid)
    }
}
