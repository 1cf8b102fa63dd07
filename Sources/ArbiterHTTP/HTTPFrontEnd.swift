import ArbiterJSON
import ArbiterServer
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// Cerbos's HTTP API and AuthZEN as a daemon front end: the listener of
/// `server.httpListenAddr` (or the systemd socket named `http`), connections set up by
/// `pipeline(for:)`, requests answered by `CerbosHTTPAPI` from the daemon's store.
public enum HTTPFrontEnd {
    /// The factory `ArbiterDaemon` calls: nil when `server.httpListenAddr` is unset and systemd
    /// passed no `http` socket.
    public static func factory<Decisions: DecisionService>() -> FrontEndFactory<Decisions> {
        return { context in try makeService(context) }
    }

    static func makeService<Decisions: DecisionService>(_ context: FrontEndContext<Decisions>) throws -> ConnectionListener? {
        let config = context.configuration
        guard let socket = try context.listeningSocket(activated: context.activatedSockets.http,
                                                       address: config.httpListenAddress, purpose: "HTTP API") else { return nil }
        var api = CerbosHTTPAPI(
            decisions: context.decisions, store: context.store, identity: context.identity,
            jsonOptions: JSONReader.Options(maxDepth: config.maxJSONDepth),
            limits: AuthZENLimits(maxActionsPerResource: config.maxActionsPerResource,
                                  maxResourcesPerRequest: config.maxResourcesPerRequest),
            logger: context.logger)
        api.requestLimits = config.requestLimits
        api.recorder = context.recorder
        api.metrics = context.metrics
        let limits = HTTPServerLimits(
            maxBodySize: config.maxFrameSize,
            readTimeout: timeAmount(config.httpReadTimeout), readHeaderTimeout: timeAmount(config.httpReadHeaderTimeout),
            writeTimeout: timeAmount(config.httpWriteTimeout), idleTimeout: timeAmount(config.httpIdleTimeout))
        return listener(socket: socket, api: api, limits: limits,
                        peerPolicy: PeerPolicy(allowedUIDs: Set(config.allowedUIDs), allowedGIDs: Set(config.allowedGIDs)),
                        logger: context.logger)
    }

    /// A listener serving `api` on `socket`.
    public static func listener<Decisions: DecisionService>(
        socket: ListeningSocket, api: CerbosHTTPAPI<Decisions>, limits: HTTPServerLimits = HTTPServerLimits(),
        peerPolicy: PeerPolicy = PeerPolicy(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger, onListening: @escaping @Sendable () -> Void = {}
    ) -> ConnectionListener {
        ConnectionListener(socket: socket, peerPolicy: peerPolicy, group: group, logger: logger,
                           onListening: onListening) { channel, _, credentials in
            // The peer matters only to the audit log: skip the readlink when it is off.
            let peer = api.recorder != nil ? AuditPeer.accepted(channel, on: socket, credentials: credentials) : nil
            try addHandlers(to: channel.pipeline.syncOperations, api: api, limits: limits, logger: logger, peer: peer)
        }
    }

    /// Builds one connection's pipeline: byte activity (read timers), NIO's HTTP/1.1 request
    /// decoder with the header limit, then the connection handler, which encodes its responses
    /// itself (see `HTTPResponseEncoding`).
    public static func addHandlers<Decisions: DecisionService>(
        to pipeline: ChannelPipeline.SynchronousOperations, api: CerbosHTTPAPI<Decisions>, limits: HTTPServerLimits, logger: Logger,
        peer: AuditPeer? = nil
    ) throws {
        var decoderLimits = NIOHTTPDecoderLimitConfiguration()
        decoderLimits.maxHeaderFieldSize = limits.maxHeaderSize
        decoderLimits.maxHeaderListSize = limits.maxHeaderSize
        try pipeline.addHandler(HTTPInboundActivityHandler())
        try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(
            leftOverBytesStrategy: .dropBytes, informationalResponseStrategy: .drop, limitConfiguration: decoderLimits)))
        try pipeline.addHandler(HTTPConnectionHandler(api: api, limits: limits, logger: logger, peer: peer))
    }

    static func timeAmount(_ d: Duration) -> TimeAmount {
        .nanoseconds(d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000)
    }
}
