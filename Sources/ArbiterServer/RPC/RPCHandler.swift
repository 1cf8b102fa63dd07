import ArbiterJSON
import Logging
import NIOCore

/// Answers each frame with one length-prefixed response, in order, on the connection's event
/// loop. Decisions are synchronous, so pipelined requests are answered in request order without
/// any queueing; responses are written and flushed once per read burst. A client that pipelines without
/// reading its answers is not read from until its socket drains, which bounds server memory.
///
/// Not generic over the decision service: NIO calls a handler through its protocol witnesses,
/// and a generic class's witnesses run unspecialised, looking up the type's metadata and
/// associated types (`InboundIn`, `Optional<FrameEvent>`) on every frame.
public final class RPCHandler: ChannelDuplexHandler {
    public typealias InboundIn = FrameEvent
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private let handleFrame: (UnsafeRawBufferPointer, inout JSONWriter) -> Bool
    private let errorResponse: (RPCError) -> [UInt8]
    private let logger: Logger
    private var pendingFlush = false
    private var readHeld = false
    /// The responses to the frames of the current read burst, written as one buffer when the
    /// burst ends: one pending write per burst instead of one per response. Kept between bursts:
    /// once the socket has taken the previous burst the storage is ours alone again and `clear()`
    /// reuses it instead of allocating a buffer per burst.
    private var output: ByteBuffer?
    /// Whether `output` holds responses not yet passed on.
    private var outputPending = false
    /// One response's JSON, reused for every frame of the connection: saves the response array's
    /// allocation per request (the bytes are then copied into `output`).
    private var json = JSONWriter(capacity: 1024)
    /// Past this a buffer is not kept after its burst, so an idle connection does not pin the
    /// memory of one large answer.
    private static let keptCapacity = 64 * 1024

    /// Creates a handler around a dispatcher.
    public init<Service: DecisionService>(dispatcher: RPCDispatcher<Service>, logger: Logger) {
        handleFrame = { dispatcher.handle($0, into: &$1) }
        errorResponse = { dispatcher.errorResponse($0) }
        self.logger = logger
    }

    /// A handler for a connection from `peer`, whose identity goes into audit entries.
    public init<Service: DecisionService>(dispatcher: RPCDispatcher<Service>, peer: AuditPeer?, logger: Logger) {
        handleFrame = { dispatcher.handle($0, peer: peer, into: &$1) }
        errorResponse = { dispatcher.errorResponse($0) }
        self.logger = logger
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .frame(payload):
            json.bytes.removeAll(keepingCapacity: true)
            let answered = payload.withUnsafeReadableBytes { handleFrame($0, &json) }
            if answered { write(context: context, json.bytes) }
            if json.bytes.capacity > Self.keptCapacity { json = JSONWriter(capacity: 1024) }
        case let .invalidLength(length, maximum):
            let reason = length == 0
                ? "frame length 0 is invalid; a frame holds 1 to \(maximum) bytes"
                : "frame length \(length) exceeds the maximum of \(maximum) bytes"
            LogRateLimiter.shared.log(logger, .warning, "closing connection: bad frame length", metadata: ["length": "\(length)"])
            finish(context: context, with: .invalidRequest(field: "frame.length", reason: reason + "; closing the connection"))
        case let .timedOut(buffered):
            LogRateLimiter.shared.log(logger, .warning, "closing connection: frame not complete within server.frameTimeout",
                                      metadata: ["bufferedBytes": "\(buffered)"])
            finish(context: context, with: .invalidRequest(
                field: "frame", reason: "incomplete frame (\(buffered) bytes received) timed out; closing the connection"))
        case .drained:
            closeAfterFlush(context: context)
        }
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        if pendingFlush {
            pendingFlush = false
            writeOutput(context: context)
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    public func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            readHeld = true
        }
    }

    public func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, readHeld {
            readHeld = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    public func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.debug("connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    private func write(context: ChannelHandlerContext, _ json: [UInt8]) {
        if !outputPending {
            outputPending = true
            if output == nil {
                output = context.channel.allocator.buffer(capacity: max(1024, json.count + 4))
            } else {
                // Reuses the storage when the last burst's write has released it; otherwise
                // (still queued) this allocates afresh, as before.
                output!.clear()
            }
        }
        output!.writeInteger(UInt32(json.count), endianness: .big)
        output!.writeBytes(json)
        pendingFlush = true
    }

    /// Passes the burst's responses on (not flushed).
    private func writeOutput(context: ChannelHandlerContext) {
        guard outputPending, let buffer = output else { return }
        outputPending = false
        if buffer.capacity > Self.keptCapacity { output = nil }
        context.write(wrapOutboundOut(buffer), promise: nil)
    }

    private func finish(context: ChannelHandlerContext, with error: RPCError) {
        write(context: context, errorResponse(error))
        closeAfterFlush(context: context)
    }

    /// Closes once every response written so far has reached the socket: the empty write's
    /// promise completes only after the writes queued before it.
    private func closeAfterFlush(context: ChannelHandlerContext) {
        pendingFlush = false
        writeOutput(context: context)
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)), promise: promise)
        let channel = context.channel
        promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
    }
}
