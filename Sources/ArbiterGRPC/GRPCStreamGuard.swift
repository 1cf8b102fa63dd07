import NIOCore
import NIOHPACK
import NIOHTTP2

/// The first handler of every gRPC stream, ahead of grpc-swift's stream handler, for two things
/// grpc-swift's server does not do as Cerbos (grpc-go) does:
///
/// - A request message longer than `server.advanced.grpc.maxRecvMsgSizeBytes` is answered
///   RESOURCE_EXHAUSTED, grpc-go's status and message, as soon as its 5-byte length prefix
///   arrives. grpc-swift refuses it too, but by resetting the stream, which clients report
///   as UNAVAILABLE, a status that tells them to retry.
/// - On an audited server, the connection's peer credentials go into the request headers
///   under `GRPCPeerMetadata.key` (any copy the client sent is removed first), the only way
///   to hand them to the call.
///
/// Invariant: bytes are only inspected, never copied; a stream within the limit sees exactly
/// the frames it would without this handler, apart from the peer header.
final class GRPCStreamGuard: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias InboundOut = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let maxMessageSize: Int
    /// Whether metadata is audited: then the peer header is replaced (or removed).
    private let auditing: Bool
    /// `GRPCPeerMetadata.encode` of the connection's peer, when it has credentials.
    private let peerText: String?
    private var prefix = GRPCMessagePrefix()
    private var refused = false

    init(maxMessageSize: Int, auditing: Bool, peerText: String?) {
        self.maxMessageSize = maxMessageSize
        self.auditing = auditing
        self.peerText = peerText
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case var .headers(headers) where auditing:
            headers.headers.remove(name: GRPCPeerMetadata.key)
            if let peerText { headers.headers.add(name: GRPCPeerMetadata.key, value: peerText) }
            context.fireChannelRead(wrapInboundOut(.headers(headers)))
        case let .data(frame):
            if refused { return }
            if case let .byteBuffer(buffer) = frame.data, let length = prefix.firstLength(in: buffer, over: maxMessageSize) {
                refuse(context: context, length: length)
                return
            }
            context.fireChannelRead(data)
        default:
            context.fireChannelRead(data)
        }
    }

    /// Trailers-only RESOURCE_EXHAUSTED, then RST_STREAM(NO_ERROR) so the client stops sending
    /// the rest of the message (RFC 9113 §8.1), as grpc-go does; the stream then closes, which
    /// ends the call's handler before it ever sees the message.
    private func refuse(context: ChannelHandlerContext, length: Int) {
        refused = true
        let headers: HPACKHeaders = [
            ":status": "200", "content-type": "application/grpc", "grpc-status": "8",
            "grpc-message": "grpc: received message larger than max (\(length) vs. \(maxMessageSize))",
        ]
        context.write(wrapOutboundOut(.headers(.init(headers: headers, endStream: true))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.rstStream(.noError)), promise: nil)
        context.close(promise: nil)
    }
}
