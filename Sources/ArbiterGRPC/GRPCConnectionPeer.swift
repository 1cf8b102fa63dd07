import ArbiterServer
import NIOCore

/// The audit peer of one gRPC connection, read once when it is accepted and kept in the
/// connection's pipeline, where each new stream's `GRPCStreamGuard` finds it through the
/// stream's parent channel. It passes every byte on untouched (NIO takes only inbound or
/// outbound handlers; the default `channelRead` forwards).
final class GRPCConnectionPeer: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// `GRPCPeerMetadata.encode` of the peer.
    let text: String?

    init(_ peer: AuditPeer) {
        text = GRPCPeerMetadata.encode(peer)
    }

    /// The peer text of the connection `stream` belongs to; nil when it was not recorded.
    static func text(forStream stream: any Channel) -> String? {
        guard let parent = stream.parent,
              let handler = try? parent.pipeline.syncOperations.handler(type: GRPCConnectionPeer.self) else { return nil }
        return handler.text
    }
}
