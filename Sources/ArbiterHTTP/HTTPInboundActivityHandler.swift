import NIOCore

/// Bytes arrived from the peer: sent down the pipeline before the bytes themselves, so the
/// connection handler can start a request's read timers at its first byte (the HTTP decoder only
/// speaks once the whole head is in).
public struct HTTPBytesArrivedEvent: Sendable, Hashable {}

/// Sits before the HTTP decoder and announces each read with `HTTPBytesArrivedEvent`.
public final class HTTPInboundActivityHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer

    /// Creates the handler.
    public init() {}

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireUserInboundEventTriggered(HTTPBytesArrivedEvent())
        context.fireChannelRead(data)
    }
}
