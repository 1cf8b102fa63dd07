import NIOCore
import NIOHTTP1

/// Asks for an error answer when no request head was decoded (a client too slow to send one),
/// written as for a parse error, then the connection closes.
struct HTTPAnswerWithoutRequestEvent: Sendable {
    var error: GatewayError
}

/// Answers a request the HTTP parser rejects (malformed request line or headers, headers over the
/// limit) with the gateway error body, then closes the connection: after a parse error the
/// stream has no trustworthy request boundary left. Requests decoded before the bad one are
/// answered first, in order, because this handler sits before the pipelining handler and waits
/// until every request it passed on has had its response.
final class HTTPParseErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let maxHeaderSize: Int
    private var requestsSeen = 0
    private var responsesEnded = 0
    private var pending: GatewayError?
    private var answered = false

    init(maxHeaderSize: Int) {
        self.maxHeaderSize = maxHeaderSize
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { requestsSeen += 1 }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        // A connection already closing (after an early answer, or a client gone mid-request, which
        // the parser reports as an unexpected end) has nobody left to answer.
        guard pending == nil, !answered, context.channel.isActive, parseError != .invalidEOFState else { return }
        pending = Self.gatewayError(parseError, maxHeaderSize: maxHeaderSize)
        answerIfDue(context: context)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let answer = event as? HTTPAnswerWithoutRequestEvent else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        promise?.succeed(())
        guard pending == nil, !answered else { return }
        pending = answer.error
        answerIfDue(context: context)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            responsesEnded += 1
            context.write(data, promise: promise)
            answerIfDue(context: context)
            return
        }
        context.write(data, promise: promise)
    }

    private func answerIfDue(context: ChannelHandlerContext) {
        guard let error = pending, responsesEnded >= requestsSeen, !answered else { return }
        answered = true
        pending = nil
        let response = HTTPAPIResponse(error)
        var head = HTTPResponseHead(version: .http1_1, status: response.status)
        head.headers.add(name: "content-type", value: "application/json")
        head.headers.add(name: "content-length", value: String(response.body.count))
        head.headers.add(name: "connection", value: "close")
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in loopBound.value.close(promise: nil) }
    }

    static func gatewayError(_ error: HTTPParserError, maxHeaderSize: Int) -> GatewayError {
        switch error {
        case .headerOverflow:
            return GatewayError(status: .requestHeaderFieldsTooLarge, code: GatewayError.Code.invalidArgument,
                                message: "request headers are larger than the limit of \(maxHeaderSize) bytes")
        case .invalidVersion:
            return GatewayError(status: .httpVersionNotSupported, code: GatewayError.Code.invalidArgument,
                                message: "malformed HTTP request: unsupported HTTP version; send HTTP/1.1")
        default:
            return .invalidArgument("malformed HTTP request: \(error)")
        }
    }
}
