#if canImport(Glibc)
import Glibc
#endif
import NIOCore

extension PeerCredentials {
    /// The `SO_PEERCRED` of a connection NIO accepted (front ends whose transport does its own
    /// accepting, like grpc-swift's); fails for a channel that is not a Unix socket.
    public static func read(from channel: any Channel) -> EventLoopFuture<PeerCredentials> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(SocketSetupError("the connection has no socket options to read peer credentials from"))
        }
        let raw: EventLoopFuture<RawPeerCredentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        return raw.map { PeerCredentials(pid: $0.pid, uid: $0.uid, gid: $0.gid) }
    }
}
