import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// `server.metricsListenAddr`: a listener that answers `GET /_cerbos/metrics` with the Prometheus
/// text of a `ServerMetrics`, for daemons without the HTTP API (which serves the same route).
/// Built on `ConnectionListener`, so it applies the socket rules, peer allow-lists and drain of
/// the other listeners.
public enum MetricsEndpoint {
    /// The path Cerbos serves its metrics on.
    public static let path = "/_cerbos/metrics"
    /// The Prometheus text format's content type.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The factory `ArbiterDaemon` calls: nil when metrics are off or no address is configured.
    public static func service<Decisions: DecisionService>(_ context: FrontEndContext<Decisions>) throws -> (any Service)? {
        let config = context.configuration
        guard config.metricsEnabled, let metrics = context.metrics,
              let socket = try context.listeningSocket(activated: nil, address: config.metricsListenAddress, purpose: "metrics")
        else { return nil }
        return listener(socket: socket, metrics: metrics, peerPolicy: PeerPolicy(allowedUIDs: Set(config.allowedUIDs), allowedGIDs: Set(config.allowedGIDs)),
                        logger: context.logger)
    }

    /// A listener serving `metrics` on `socket`.
    public static func listener(socket: ListeningSocket, metrics: ServerMetrics, peerPolicy: PeerPolicy = PeerPolicy(),
                                logger: Logger, onListening: @escaping @Sendable () -> Void = {}) -> ConnectionListener {
        ConnectionListener(socket: socket, peerPolicy: peerPolicy, logger: logger, onListening: onListening) { channel, _ in
            let sync = channel.pipeline.syncOperations
            try sync.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
            try sync.addHandler(MetricsHTTPHandler(metrics: metrics))
        }
    }
}

/// Answers each request on a metrics connection: the exposition for `GET /_cerbos/metrics`,
/// 404 for any other path and 405 for another method.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let metrics: ServerMetrics
    private var head: HTTPRequestHead?

    init(metrics: ServerMetrics) { self.metrics = metrics }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(h): head = h
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let status: HTTPResponseStatus
        var body: [UInt8]
        var headers = HTTPHeaders()
        if path != MetricsEndpoint.path {
            status = .notFound
            body = Array("not found: metrics are at \(MetricsEndpoint.path)\n".utf8)
        } else if head.method != .GET && head.method != .HEAD {
            status = .methodNotAllowed
            headers.add(name: "allow", value: "GET, HEAD")
            body = Array("method not allowed\n".utf8)
        } else {
            status = .ok
            body = metrics.exposition()
        }
        headers.add(name: "content-type", value: status == .ok ? MetricsEndpoint.contentType : "text/plain; charset=utf-8")
        headers.add(name: "content-length", value: String(body.count))
        if head.method == .HEAD { body = [] }
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        if !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }
}
