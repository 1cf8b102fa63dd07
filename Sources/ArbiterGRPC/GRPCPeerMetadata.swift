import ArbiterServer

/// How a Unix peer's credentials travel from the connection to the call: grpc-swift gives a
/// handler only the call's metadata and `remotePeer`, so `GRPCStreamGuard` adds them to the
/// request headers under a key of ours, after removing any copy the client sent, and
/// `DecisionCall(grpc:…)` takes them out again (they are never logged as metadata).
enum GRPCPeerMetadata {
    /// The header: lower case, as HTTP/2 requires; `arbiter-` so no gRPC library sends it.
    static let key = "arbiter-peer-credentials"

    /// `pid uid gid executable` (the executable may hold spaces: it is last).
    static func encode(_ peer: AuditPeer) -> String? {
        guard let c = peer.credentials else { return nil }
        return "\(c.pid) \(c.uid) \(c.gid) \(peer.executable ?? "")"
    }

    /// Puts what `encode` wrote into `peer`; text of another shape leaves `peer` as it was.
    static func decode(_ text: String, into peer: inout AuditPeer) {
        let parts = text.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, let pid = Int32(parts[0]), let uid = UInt32(parts[1]), let gid = UInt32(parts[2]) else { return }
        peer.credentials = PeerCredentials(pid: pid, uid: uid, gid: gid)
        peer.executable = parts[3].isEmpty ? nil : String(parts[3])
    }
}
