import ArbiterServer
import NIOCore
import NIOHPACK
import NIOHTTP2
import SwiftProtobuf

/// One gRPC connection's calls, answered in the HTTP/2 connection's own pipeline on its event
/// loop: `NIOHTTP2Handler` (without a stream multiplexer) hands this handler every frame with
/// its stream ID, and a small table of open streams gathers each request's message. A unary
/// call is decided and its HEADERS, DATA and trailers written within the read that completes
/// it, flushed once per read.
///
/// Why not grpc-swift's server: a unary call there cost about 100 µs of server CPU in an HTTP/2
/// child channel and pipeline, an async channel and a task per stream, three async writes and
/// flushes through the multiplexer (docs/benchmarks.md, gRPC section), ten times a JSON-RPC frame.
///
/// Flow control, which the multiplexer did before: the connection window is kept near
/// `connectionWindowTarget` from NIOHTTP2's window events (they count every DATA frame, even
/// those of streams already answered), and each stream still sending is given back what it
/// used once half of `streamWindowTarget` is gone, so a message up to the size limit never stalls.
final class GRPCConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    /// The stream window advertised in SETTINGS (SETTINGS_INITIAL_WINDOW_SIZE).
    static let streamWindowTarget = 1 << 20
    /// The connection window kept open for the client.
    static let connectionWindowTarget = 16 << 20

    private let answerer: GRPCCallAnswerer
    /// The connection's peer for the audit log; nil when calls are not audited.
    private let peer: AuditPeer?
    private var streams: [HTTP2StreamID: GRPCStreamState] = [:]
    private var context: ChannelHandlerContext?
    private var lastStreamID: HTTP2StreamID = .rootStream
    private var quiescing = false
    private var needsFlush = false

    /// Streams with state in the table (for tests: a reset or closed stream leaves none).
    var openStreamCount: Int { streams.count }

    init(answerer: GRPCCallAnswerer, peer: AuditPeer?) {
        self.answerer = answerer
        self.peer = peer
    }

    /// The SETTINGS the connection's `NIOHTTP2Handler` advertises.
    static func settings(_ limits: GRPCServerLimits) -> HTTP2Settings {
        [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: limits.maxConcurrentStreams),
            HTTP2Setting(parameter: .initialWindowSize, value: streamWindowTarget),
            HTTP2Setting(parameter: .maxHeaderListSize, value: HPACKDecoder.defaultMaxHeaderListSize),
        ]
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        dropAllStreams()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        dropAllStreams()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.payload {
        case let .headers(headers):
            receivedHeaders(headers, on: frame.streamID, context: context)
        case let .data(payload):
            receivedData(payload, on: frame.streamID, context: context)
        default:
            // RST_STREAM ends in a StreamClosedEvent; SETTINGS and PING NIOHTTP2Handler answers.
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlush { flushWrites(context: context) }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let closed as StreamClosedEvent:
            if let stream = streams.removeValue(forKey: closed.streamID) { stream.watch?.task?.cancel() }
            if quiescing, streams.isEmpty { flushAndClose(context: context) }
        case let window as NIOHTTP2WindowUpdatedEvent where window.streamID == .rootStream:
            if let size = window.inboundWindowSize, size <= Self.connectionWindowTarget / 2 {
                context.writeAndFlush(wrapOutboundOut(HTTP2Frame(
                    streamID: .rootStream, payload: .windowUpdate(windowSizeIncrement: Self.connectionWindowTarget - size))), promise: nil)
            }
        case is ChannelShouldQuiesceEvent:
            quiesce(context: context)
        case ChannelEvent.inputClosed:
            // The client half-closed: no more frames can come, so answer what is open and go.
            quiesce(context: context)
        default:
            break
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // NIOHTTP2Handler resets a stream with a stream error itself (a StreamClosedEvent
        // follows); anything else (not HTTP/2, a broken frame or HPACK block, a peer that
        // breaks the protocol) ends the connection, never the process.
        if error is NIOHTTP2Errors.StreamError { return }
        context.close(promise: nil)
    }

    // MARK: - Requests

    private func receivedHeaders(_ payload: HTTP2Frame.FramePayload.Headers, on id: HTTP2StreamID, context: ChannelHandlerContext) {
        if streams[id] != nil {
            // Trailers from the client: only their END_STREAM matters.
            if payload.endStream { endRequest(id, context: context) }
            return
        }
        if id > lastStreamID { lastStreamID = id }
        switch GRPCRequestHead.parse(payload.headers) {
        case let .failure(error):
            fail(id, error, requestEnded: payload.endStream, context: context)
        case let .success(head):
            streams[id] = GRPCStreamState(head: head, headers: peer == nil ? [:] : payload.headers,
                                          maxMessageSize: answerer.limits.maxRecvMessageSize, window: Self.streamWindowTarget)
            if payload.endStream { endRequest(id, context: context) }
        }
    }

    private func receivedData(_ payload: HTTP2Frame.FramePayload.Data, on id: HTTP2StreamID, context: ChannelHandlerContext) {
        guard let stream = streams[id], !stream.answered, case let .byteBuffer(bytes) = payload.data else { return }
        stream.window -= bytes.readableBytes + (payload.paddingBytes ?? 0)
        do {
            try stream.reader.append(bytes)
        } catch {
            stream.answered = true
            fail(id, GRPCCallError(error), requestEnded: payload.endStream, context: context)
            return
        }
        if payload.endStream {
            endRequest(id, context: context)
        } else if stream.window <= Self.streamWindowTarget / 2 {
            write(HTTP2Frame(streamID: id, payload: .windowUpdate(windowSizeIncrement: Self.streamWindowTarget - stream.window)),
                  context: context)
            stream.window = Self.streamWindowTarget
        }
    }

    /// The client has sent all of the request: answer it.
    private func endRequest(_ id: HTTP2StreamID, context: ChannelHandlerContext) {
        guard let stream = streams[id] else { return }
        if stream.answered { return }
        stream.answered = true
        let message: ByteBuffer
        do {
            message = try stream.reader.finish()
        } catch {
            fail(id, GRPCCallError(error), requestEnded: true, context: context)
            return
        }
        if stream.head.method == .healthWatch {
            startWatch(stream, id: id, message: message, context: context)
            return
        }
        switch answerer.answer(stream.head.method, message: message, headers: stream.headers, deadline: stream.head.deadline,
                               peer: peer, allocator: context.channel.allocator) {
        case let .success(response):
            write(HTTP2Frame(streamID: id, payload: .headers(.init(headers: GRPCResponseHeaders.head))), context: context)
            write(HTTP2Frame(streamID: id, payload: .data(.init(data: .byteBuffer(response)))), context: context)
            write(HTTP2Frame(streamID: id, payload: .headers(.init(headers: GRPCResponseHeaders.okTrailers, endStream: true))),
                  context: context)
        case let .failure(error):
            fail(id, error, requestEnded: true, context: context)
        }
    }

    /// Trailers-only with `error`; a client still sending is told to stop with RST_STREAM
    /// (NO_ERROR), as grpc-go does (RFC 9113 §8.1).
    private func fail(_ id: HTTP2StreamID, _ error: GRPCCallError, requestEnded: Bool, context: ChannelHandlerContext) {
        write(HTTP2Frame(streamID: id, payload: .headers(.init(headers: GRPCResponseHeaders.trailersOnly(error), endStream: true))),
              context: context)
        if !requestEnded { write(HTTP2Frame(streamID: id, payload: .rstStream(.noError)), context: context) }
    }

    private func write(_ frame: HTTP2Frame, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(frame), promise: nil)
        needsFlush = true
    }

    // MARK: - Health Watch

    /// Sends the status now and schedules the look for changes on this loop.
    private func startWatch(_ stream: GRPCStreamState, id: HTTP2StreamID, message: ByteBuffer, context: ChannelHandlerContext) {
        let request: Grpc_Health_V1_HealthCheckRequest
        do {
            request = try GRPCCallAnswerer.decode(Grpc_Health_V1_HealthCheckRequest.self, message)
        } catch {
            fail(id, GRPCCallError(error), requestEnded: true, context: context)
            return
        }
        let health = answerer.health
        let status = health.status(of: request.service)
        // An unknown name gets SERVICE_UNKNOWN and the stream stays open, as the reference server does.
        var watch = GRPCHealthWatch(service: status == nil ? nil : request.service, sent: status ?? .serviceUnknown)
        write(HTTP2Frame(streamID: id, payload: .headers(.init(headers: GRPCResponseHeaders.head))), context: context)
        writeWatchStatus(watch.sent, id: id, context: context)
        if health.isShuttingDown || quiescing {
            stream.watch = watch
            endWatch(stream, id: id, context: context)
            return
        }
        let interval = TimeAmount.nanoseconds(Int64(health.watchInterval.components.seconds) * 1_000_000_000
                                              + health.watchInterval.components.attoseconds / 1_000_000_000)
        watch.task = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [weak self] _ in
            self?.lookAgain(id)
        }
        stream.watch = watch
    }

    /// One repeated look of a Watch stream: a changed status is sent; shutdown ends the stream.
    private func lookAgain(_ id: HTTP2StreamID) {
        guard let context, let stream = streams[id], let watch = stream.watch else { return }
        if answerer.health.isShuttingDown || quiescing {
            endWatch(stream, id: id, context: context)
        } else if let service = watch.service, let now = answerer.health.status(of: service), now != watch.sent {
            stream.watch?.sent = now
            writeWatchStatus(now, id: id, context: context)
        }
        if needsFlush { flushWrites(context: context) }
    }

    /// NOT_SERVING (for a name it knows) and OK trailers: the server is going away.
    private func endWatch(_ stream: GRPCStreamState, id: HTTP2StreamID, context: ChannelHandlerContext) {
        guard let watch = stream.watch else { return }
        watch.task?.cancel()
        stream.watch = nil
        if watch.service != nil, watch.sent != .notServing { writeWatchStatus(.notServing, id: id, context: context) }
        write(HTTP2Frame(streamID: id, payload: .headers(.init(headers: GRPCResponseHeaders.okTrailers, endStream: true))),
              context: context)
    }

    private func writeWatchStatus(_ status: Grpc_Health_V1_HealthCheckResponse.ServingStatus, id: HTTP2StreamID,
                                  context: ChannelHandlerContext) {
        do {
            let message = try GRPCResponseHeaders.frame(Grpc_Health_V1_HealthCheckResponse.with { $0.status = status },
                                                        allocator: context.channel.allocator)
            write(HTTP2Frame(streamID: id, payload: .data(.init(data: .byteBuffer(message)))), context: context)
        } catch {
            fail(id, GRPCCallError(error), requestEnded: true, context: context)
        }
    }

    // MARK: - Shutdown

    /// Graceful shutdown: GOAWAY naming the last stream taken, Watch streams ended, and the
    /// connection closed once the calls in flight are answered.
    private func quiesce(context: ChannelHandlerContext) {
        guard !quiescing else { return }
        quiescing = true
        context.write(wrapOutboundOut(HTTP2Frame(streamID: .rootStream,
                                                 payload: .goAway(lastStreamID: lastStreamID, errorCode: .noError, opaqueData: nil))),
                      promise: nil)
        for (id, stream) in streams where stream.watch != nil { endWatch(stream, id: id, context: context) }
        if streams.isEmpty {
            flushAndClose(context: context)
        } else {
            flushWrites(context: context)
        }
    }

    /// Closes the connection after sending what is written: a close drops unflushed writes, and
    /// the last stream can close while its trailers wait for the read's flush.
    private func flushAndClose(context: ChannelHandlerContext) {
        flushWrites(context: context)
        context.close(promise: nil)
    }

    /// Sends what `write` queued.
    private func flushWrites(context: ChannelHandlerContext) {
        needsFlush = false
        context.flush()
    }

    private func dropAllStreams() {
        for stream in streams.values { stream.watch?.task?.cancel() }
        streams.removeAll()
    }
}
