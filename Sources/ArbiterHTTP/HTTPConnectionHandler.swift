import ArbiterServer
import Logging
import NIOCore
import NIOHTTP1

/// One HTTP/1.1 connection: collects each request's body within the size limit, answers
/// `Expect: 100-continue`, runs the request through `CerbosHTTPAPI` on the event loop and writes
/// the response, keeping the connection open when the client asked for keep-alive. Pipelined
/// requests come one at a time from NIO's pipelining handler in front of it, so responses leave
/// in request order.
///
/// Timers follow Go's `http.Server` (Cerbos's `server.advanced.http.*`): the idle timeout runs
/// while a connection waits for its next request; at a request's first byte the read-header and
/// read timeouts start, the first ending with the head, the second with the body; the write
/// timeout bounds each response. A read timeout answers 408 and closes; idle and write timeouts
/// close. Decisions are bounded CPU work (see `SocketServer`), so answering inline is safe for
/// the other connections on the loop.
final class HTTPConnectionHandler<Decisions: DecisionService>: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Waiting for a request (idle timer running).
        case idle
        /// A request's bytes are arriving (read timers running).
        case reading(HTTPRequestHead?, ByteBuffer)
        /// An early answer was sent (413, 417, refused 100-continue); the rest of the request is
        /// ignored and the connection closes.
        case closing
    }

    private let api: CerbosHTTPAPI<Decisions>
    private let limits: HTTPServerLimits
    private let logger: Logger
    private var state = State.idle
    private var idleTimer: Scheduled<Void>?
    private var headerTimer: Scheduled<Void>?
    private var readTimer: Scheduled<Void>?
    private var writeTimer: Scheduled<Void>?
    private var writesInFlight = 0
    private var inputClosed = false

    init(api: CerbosHTTPAPI<Decisions>, limits: HTTPServerLimits, logger: Logger) {
        self.api = api
        self.limits = limits
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armIdle(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if idleTimer == nil { armIdle(context) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is HTTPBytesArrivedEvent:
            if case .idle = state { startReading(context) }
        case ChannelEvent.inputClosed:
            // The client sent its last request: answer what is open, then close.
            inputClosed = true
            if case .idle = state, writesInFlight == 0 { context.close(promise: nil) }
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head):
            receiveHead(head, context: context)
        case let .body(chunk):
            guard case .reading(let head?, var body) = state else { return }
            if body.readableBytes + chunk.readableBytes > limits.maxBodySize {
                answerEarly(.bodyTooLarge(limit: limits.maxBodySize), head: head, context: context)
                return
            }
            state = .idle // drops the state's reference so the append does not copy the buffer
            var chunk = chunk
            body.writeBuffer(&chunk)
            state = .reading(head, body)
        case .end:
            guard case .reading(let head?, let body) = state else { return }
            readTimer?.cancel()
            readTimer = nil
            let request = HTTPAPIRequest(method: head.method, uri: head.uri, headers: head.headers, body: body)
            respond(api.respond(to: request), head: head, context: context)
        }
    }

    private func receiveHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        if case .closing = state { return }
        if case .idle = state { startReading(context) }
        headerTimer?.cancel()
        headerTimer = nil
        state = .reading(head, context.channel.allocator.buffer(capacity: 0))
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
        if case let .failure(error) = api.route(head.method, Substring(head.uri.split(separator: "?", maxSplits: 1).first ?? "")) {
            answerEarly(error, head: head, context: context)
            return
        }
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
    }

    /// Answers before the request is complete and closes afterwards: the unread rest of the
    /// request cannot be told apart from a next request.
    private func answerEarly(_ error: GatewayError, head: HTTPRequestHead, context: ChannelHandlerContext) {
        headerTimer?.cancel()
        readTimer?.cancel()
        headerTimer = nil
        readTimer = nil
        state = .closing
        write(HTTPAPIResponse(error), version: head.version, keepAlive: false, context: context)
    }

    private func respond(_ response: HTTPAPIResponse, head: HTTPRequestHead, context: ChannelHandlerContext) {
        let keepAlive = head.isKeepAlive && !inputClosed
        // Set before the write: the pipelining handler may hand over the next request from
        // inside it.
        state = keepAlive ? .idle : .closing
        if keepAlive { armIdle(context) }
        write(response, version: head.version, keepAlive: keepAlive, context: context)
    }

    private func write(_ response: HTTPAPIResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        var head = HTTPResponseHead(version: version, status: response.status)
        head.headers.reserveCapacity(3 + response.headers.count)
        head.headers.add(name: "content-type", value: "application/json")
        head.headers.add(name: "content-length", value: String(response.body.count))
        for (name, value) in response.headers { head.headers.add(name: name, value: value) }
        if !keepAlive {
            head.headers.add(name: "connection", value: "close")
        } else if version.minor == 0 {
            head.headers.add(name: "connection", value: "keep-alive")
        }
        writesInFlight += 1
        if writesInFlight == 1 { armWrite(context) }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { result in
            let (handler, context) = loopBound.value
            handler.writeFinished(keepAlive: keepAlive, failed: result.isFailure, context: context)
        }
    }

    private func writeFinished(keepAlive: Bool, failed: Bool, context: ChannelHandlerContext) {
        writesInFlight -= 1
        if writesInFlight == 0 {
            writeTimer?.cancel()
            writeTimer = nil
        }
        if failed || !keepAlive {
            context.close(promise: nil)
        } else if inputClosed, case .idle = state, writesInFlight == 0 {
            context.close(promise: nil)
        }
    }

    // MARK: timers

    private func startReading(_ context: ChannelHandlerContext) {
        idleTimer?.cancel()
        idleTimer = nil
        state = .reading(nil, context.channel.allocator.buffer(capacity: 0))
        headerTimer = schedule(limits.readHeaderTimeout, context) { handler, context in
            handler.readTimedOut("request headers did not arrive within server.advanced.http.readHeaderTimeout", context)
        }
        readTimer = schedule(limits.readTimeout, context) { handler, context in
            handler.readTimedOut("request did not arrive within server.advanced.http.readTimeout", context)
        }
    }

    private func armIdle(_ context: ChannelHandlerContext) {
        idleTimer?.cancel()
        idleTimer = schedule(limits.idleTimeout, context) { handler, context in
            handler.idleTimer = nil
            if case .idle = handler.state, handler.writesInFlight == 0 { context.close(promise: nil) }
        }
    }

    private func armWrite(_ context: ChannelHandlerContext) {
        writeTimer = schedule(limits.writeTimeout, context) { handler, context in
            handler.logger.notice("closing an HTTP connection whose client did not read its response within server.advanced.http.writeTimeout")
            context.close(promise: nil)
        }
    }

    private func readTimedOut(_ message: String, _ context: ChannelHandlerContext) {
        guard case let .reading(head, _) = state else { return }
        logger.notice("closing a slow HTTP client", metadata: ["reason": "\(message)"])
        let error = GatewayError(status: .requestTimeout, code: GatewayError.Code.invalidArgument, message: message)
        if let head {
            answerEarly(error, head: head, context: context)
        } else {
            // No request head has reached the pipelining handler, which only lets a response
            // follow one: the answer is written in front of it.
            cancelTimers()
            state = .closing
            context.triggerUserOutboundEvent(HTTPAnswerWithoutRequestEvent(error: error), promise: nil)
        }
    }

    private func schedule(_ delay: TimeAmount, _ context: ChannelHandlerContext,
                          _ body: @escaping (HTTPConnectionHandler, ChannelHandlerContext) -> Void) -> Scheduled<Void> {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        return context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            let (handler, context) = loopBound.value
            body(handler, context)
        }
    }

    private func cancelTimers() {
        for timer in [idleTimer, headerTimer, readTimer, writeTimer] { timer?.cancel() }
        idleTimer = nil
        headerTimer = nil
        readTimer = nil
        writeTimer = nil
    }
}

extension Result {
    fileprivate var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}
