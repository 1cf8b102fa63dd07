import NIOCore

extension AuditPeer {
    /// The audit peer of a connection accepted on `socket`, for every front end: on a Unix socket
    /// its credentials and executable (`unix(path:credentials:)`), on TCP the remote `ip:port`.
    public static func accepted(_ channel: any Channel, on socket: ListeningSocket, credentials: PeerCredentials?) -> AuditPeer {
        if socket.isUnixDomain { return unix(path: socket.path, credentials: credentials) }
        return AuditPeer(address: channel.remoteAddress.map { "\($0.ipAddress ?? "")" + ($0.port.map { ":\($0)" } ?? "") } ?? "")
    }
}
