import ArbiterServer
import Logging
import NIOCore
import NIOHTTP1

/// One HTTP/1.1 connection: collects each request's body within the size limit, answers
/// `Expect: 100-continue`, runs the request through `CerbosHTTPAPI` on the event loop and writes
/// the response, keeping the connection open when the client asked for keep-alive. Every request
/// is answered inside the read that completes it, before the decoder hands over the next one, so
/// pipelined requests are answered in order without a pipelining handler. A request the parser
/// rejects (malformed line or headers, headers over the limit) is answered after the ones before
/// it, then the connection closes: the stream has no trustworthy request boundary left.
///
/// Timeouts follow Go's `http.Server` (Cerbos's `server.advanced.http.*`): the idle timeout runs
/// while a connection waits for its next request; at a request's first byte the read-header and
/// read timeouts start, the first ending with the head, the second with the body; the write
/// timeout runs while the connection cannot take more output (the client does not read). A read
/// timeout answers 408 and closes; idle and write timeouts close. Decisions are bounded CPU work
/// (see `SocketServer`), so answering inline is safe for the other connections on the loop.
///
/// The timeouts are deadlines checked by one timer per connection, never armed further ahead
/// than the shortest timeout: every deadline set later is at least that far off, so the timer
/// always fires in time to see it, and a request costs clock reads instead of scheduling and
/// cancelling timers.
///
/// Keep-alive answers are written as each request completes and flushed once per read burst
/// (`channelReadComplete`): pipelined requests that arrive in one read leave in one `writev`.
///
/// Not generic over the decision service, for the reason `RPCHandler` gives: NIO calls the
/// handler through its protocol witnesses, and a generic class's witnesses run unspecialised,
/// looking up metadata on every request part. The API is held as two closures instead.
final class HTTPConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = ByteBuffer

    private enum State {
        /// Waiting for a request (idle deadline running).
        case idle
        /// A request's bytes are arriving (read deadlines running); the body so far, nil while
        /// none has come.
        case reading(HTTPRequestHead?, ByteBuffer?)
        /// The last answer was sent (an early 413, 417, 408 or parse error, a refused
        /// 100-continue, or a response with `Connection: close`); further input is ignored and
        /// the connection closes once the answer is written.
        case closing
    }

    /// `CerbosHTTPAPI.respond(to:)` and `CerbosHTTPAPI.route(_:_:)` of the connection's API.
    private let answer: (HTTPAPIRequest) -> HTTPAPIResponse
    private let route: (HTTPMethod, Substring) -> Result<HTTPEndpoint, GatewayError>
    /// Keep-alive answers written in this read burst and not yet flushed.
    private var flushPending = false
    private let limits: HTTPServerLimits
    private let logger: Logger
    private let checkInterval: TimeAmount
    private var state = State.idle
    private var idleDeadline: NIODeadline?
    private var headerDeadline: NIODeadline?
    private var readDeadline: NIODeadline?
    private var writeDeadline: NIODeadline?
    private var timer: Scheduled<Void>?
    private var inputClosed = false
    private var quiescing = false

    /// The connection's peer, put on each request for the audit log.
    private let peer: AuditPeer?

    init<Decisions: DecisionService>(api: CerbosHTTPAPI<Decisions>, limits: HTTPServerLimits, logger: Logger, peer: AuditPeer? = nil) {
        answer = { api.respond(to: $0) }
        route = { api.route($0, $1) }
        self.peer = peer
        self.limits = limits
        self.logger = logger
        checkInterval = max(.milliseconds(1), min(limits.readHeaderTimeout, limits.readTimeout, limits.writeTimeout, limits.idleTimeout))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { becomeActive(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if timer == nil { becomeActive(context) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopTimer()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopTimer()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        writeDeadline = context.channel.isWritable ? nil : context.eventLoop.now + limits.writeTimeout
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is HTTPBytesArrivedEvent:
            if case .idle = state { startReading(context) }
        case ChannelEvent.inputClosed:
            // The client sent its last request: answer what is open, then close.
            inputClosed = true
            if case .idle = state { closeAfterWriting(context.channel.allocator.buffer(capacity: 0), context: context) }
        case is ChannelShouldQuiesceEvent:
            // Graceful shutdown: an idle connection closes now, a busy one after its answer.
            quiescing = true
            if case .idle = state { closeAfterWriting(context.channel.allocator.buffer(capacity: 0), context: context) }
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head):
            receiveHead(head, context: context)
        case var .body(chunk):
            guard case .reading(let head?, let sofar) = state else { return }
            if (sofar?.readableBytes ?? 0) + chunk.readableBytes > limits.maxBodySize {
                answerEarly(.bodyTooLarge(limit: limits.maxBodySize), head: head, context: context)
                return
            }
            // A body in one chunk (the usual case) is kept as the decoder's buffer, uncopied.
            guard var body = sofar else {
                state = .reading(head, chunk)
                return
            }
            state = .idle // drops the state's reference so the append does not copy the buffer
            body.writeBuffer(&chunk)
            state = .reading(head, body)
        case .end:
            guard case .reading(let head?, let body) = state else { return }
            readDeadline = nil
            var request = HTTPAPIRequest(method: head.method, uri: head.uri, headers: head.headers, body: body ?? ByteBuffer())
            request.peer = peer
            respond(answer(request), head: head, context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if flushPending {
            flushPending = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    private func receiveHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        if case .closing = state { return }
        if case .idle = state { startReading(context) }
        headerDeadline = nil
        state = .reading(head, nil)
        if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > limits.maxBodySize {
            answerEarly(.bodyTooLarge(limit: limits.maxBodySize), head: head, context: context)
            return
        }
        guard let expect = head.headers.first(name: "expect") else { return }
        guard expect.lowercased() == "100-continue" else {
            answerEarly(GatewayError(status: .expectationFailed, code: GatewayError.Code.invalidArgument,
                                     message: "Expect: \(expect) is not supported; only 100-continue is"), head: head, context: context)
            return
        }
        // A request the route table refuses gets its answer instead of an invitation to send.
        if case let .failure(error) = route(head.method, Substring(head.uri.split(separator: "?", maxSplits: 1).first ?? "")) {
            answerEarly(error, head: head, context: context)
            return
        }
        context.writeAndFlush(wrapOutboundOut(HTTPResponseEncoding.continueResponse(version: head.version, allocator: context.channel.allocator)),
                              promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        // A client gone mid-request (reported as an unexpected end) or a connection already
        // closing has nobody left to answer.
        if case .closing = state { return }
        guard context.channel.isActive, parseError != .invalidEOFState else { return }
        let head: HTTPRequestHead?
        if case let .reading(h, _) = state { head = h } else { head = nil }
        answerEarly(HTTPResponseEncoding.gatewayError(parseError, maxHeaderSize: limits.maxHeaderSize),
                    version: head?.version ?? .http1_1, context: context)
    }

    /// Answers before the request is complete and closes afterwards: the unread rest of the
    /// request cannot be told apart from a next request.
    private func answerEarly(_ error: GatewayError, head: HTTPRequestHead, context: ChannelHandlerContext) {
        answerEarly(error, version: head.version, context: context)
    }

    private func answerEarly(_ error: GatewayError, version: HTTPVersion, context: ChannelHandlerContext) {
        headerDeadline = nil
        readDeadline = nil
        state = .closing
        write(HTTPAPIResponse(error), version: version, keepAlive: false, context: context)
    }

    private func respond(_ response: HTTPAPIResponse, head: HTTPRequestHead, context: ChannelHandlerContext) {
        let keepAlive = head.isKeepAlive && !inputClosed && !quiescing
        state = keepAlive ? .idle : .closing
        if keepAlive { idleDeadline = context.eventLoop.now + limits.idleTimeout }
        write(response, version: head.version, keepAlive: keepAlive, context: context)
    }

    /// Writes a response. Keep-alive answers are fire-and-forget (a failed write closes the
    /// channel anyway) and are flushed when the read burst ends: they are only written from
    /// `channelRead`, so a `channelReadComplete` always follows. An answer that ends the
    /// connection is flushed (with any before it) and closes the connection once written.
    private func write(_ response: HTTPAPIResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        let bytes = HTTPResponseEncoding.encode(response, version: version, keepAlive: keepAlive, allocator: context.channel.allocator)
        if keepAlive {
            context.write(wrapOutboundOut(bytes), promise: nil)
            flushPending = true
        } else {
            closeAfterWriting(bytes, context: context)
        }
    }

    /// Writes `bytes` (possibly empty: then it only waits for the writes before it) and closes.
    private func closeAfterWriting(_ bytes: ByteBuffer, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(bytes)).whenComplete { _ in loopBound.value.close(promise: nil) }
    }

    // MARK: timeouts

    private func startReading(_ context: ChannelHandlerContext) {
        let now = context.eventLoop.now
        idleDeadline = nil
        headerDeadline = now + limits.readHeaderTimeout
        readDeadline = now + limits.readTimeout
        state = .reading(nil, nil)
    }

    private func becomeActive(_ context: ChannelHandlerContext) {
        idleDeadline = context.eventLoop.now + limits.idleTimeout
        armTimer(context)
    }

    /// Arms the timer for the earliest deadline, but no further ahead than `checkInterval`.
    private func armTimer(_ context: ChannelHandlerContext) {
        let now = context.eventLoop.now
        var at = now + checkInterval
        for d in [idleDeadline, headerDeadline, readDeadline, writeDeadline] { if let d, d < at { at = d } }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: max(at, now)) {
            let (handler, context) = loopBound.value
            handler.timer = nil
            handler.checkDeadlines(context)
        }
    }

    private func checkDeadlines(_ context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        let now = context.eventLoop.now
        if let d = writeDeadline, d <= now {
            logger.notice("closing an HTTP connection whose client did not read its response within server.advanced.http.writeTimeout")
            context.close(promise: nil)
            return
        }
        if let d = headerDeadline, d <= now {
            readTimedOut("request headers did not arrive within server.advanced.http.readHeaderTimeout", context)
        } else if let d = readDeadline, d <= now {
            readTimedOut("request did not arrive within server.advanced.http.readTimeout", context)
        } else if let d = idleDeadline, d <= now, case .idle = state {
            context.close(promise: nil)
            return
        }
        if context.channel.isActive { armTimer(context) }
    }

    private func readTimedOut(_ message: String, _ context: ChannelHandlerContext) {
        guard case let .reading(head, _) = state else { return }
        logger.notice("closing a slow HTTP client", metadata: ["reason": "\(message)"])
        let error = GatewayError(status: .requestTimeout, code: GatewayError.Code.invalidArgument, message: message)
        if let head {
            answerEarly(error, head: head, context: context)
        } else {
            answerEarly(error, version: .http1_1, context: context)
        }
    }

    private func stopTimer() {
        timer?.cancel()
        timer = nil
    }
}
