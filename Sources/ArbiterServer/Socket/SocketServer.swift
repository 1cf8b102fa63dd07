#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Serves the protocol on a listening Unix socket until graceful shutdown: then it stops
/// accepting, shuts the read side of every connection, answers every request frame the kernel
/// had already received, closes each connection once its responses are written, and returns
/// when the last one has closed (the service group's grace period bounds the wait). See
/// "Shutdown" in docs/protocol.md.
///
/// Each connection is decided inline on its event loop: read, frame, parse, decide with the
/// snapshot read once per request, encode, write; responses to the frames of one read are
/// flushed together. That is safe for the other connections because a decision is bounded CPU
/// work (request limits cap resources and actions, frames are capped, and CEL programs always
/// terminate, their loops bounded by the input), and a connection whose client does not read
/// its responses is not read from either. Connections are spread over the event loops.
public final class SocketServer<Decisions: DecisionService>: Service, Sendable {
    /// Framing limits for each connection.
    public struct Limits: Sendable, Hashable {
        /// Largest accepted frame payload.
        public var maxFrameSize: Int
        /// How long a partial frame may stay incomplete.
        public var frameTimeout: TimeAmount
        /// Creates limits (4 MiB, 10 s by default).
        public init(maxFrameSize: Int = 4 << 20, frameTimeout: TimeAmount = .seconds(10)) {
            self.maxFrameSize = maxFrameSize
            self.frameTimeout = frameTimeout
        }
    }

    private let socket: ListeningSocket
    private let dispatcher: RPCDispatcher<Decisions>
    private let limits: Limits
    private let peerPolicy: PeerPolicy
    private let group: any EventLoopGroup
    private let logger: Logger
    private let onListening: @Sendable () -> Void
    private let connections = Mutex(ConnectionRegistry())

    /// Creates a server for an already bound socket; `onListening` runs once connections are
    /// being accepted (the daemon sends `READY=1` from it).
    public init(
        socket: ListeningSocket, dispatcher: RPCDispatcher<Decisions>, limits: Limits = Limits(),
        peerPolicy: PeerPolicy = PeerPolicy(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger, onListening: @escaping @Sendable () -> Void = {}
    ) {
        self.socket = socket
        self.dispatcher = dispatcher
        self.limits = limits
        self.peerPolicy = peerPolicy
        self.group = group
        self.logger = logger
        self.onListening = onListening
    }

    /// Number of open client connections (for tests and status).
    public var connectionCount: Int { connections.withLock { $0.open.count } }

    public func run() async throws {
        let acceptor = try SocketAcceptor(listener: socket.descriptor, logger: logger) { [self] fd in adopt(fd) }
        try acceptor.start()
        logger.info("listening", metadata: ["socket": "\(socket.path ?? "fd \(socket.descriptor)")"])
        onListening()
        let (stop, stopper) = AsyncStream<Bool>.makeStream()
        // true: graceful shutdown (drain); false: cancellation (close at once).
        let graceful = await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                for await g in stop { return g }
                return false
            } onGracefulShutdown: {
                stopper.yield(true)
            }
        } onCancel: {
            stopper.yield(false)
        }
        stopper.finish()
        acceptor.stop()
        close(socket.descriptor)
        if socket.ownsPath, let path = socket.path { unlink(path) }
        if graceful, !Task.isCancelled {
            logger.info("shutting down: no longer accepting connections; answering the requests already received")
            // Connections still being set up finish registering first, so none misses the event.
            for setup in connections.withLock({ s in s.quiescing = true; return Array(s.settingUp.values) }) { _ = try? await setup.get() }
            for channel in connections.withLock({ Array($0.open.values) }) {
                channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
            }
            await withTaskCancellationHandler {
                for channel in connections.withLock({ Array($0.open.values) }) { try? await channel.closeFuture.get() }
            } onCancel: { [self] in
                closeAll()
            }
        } else {
            closeAll()
        }
        logger.info("server stopped")
    }

    private func closeAll() {
        let all = connections.withLock { s in s.quiescing = true; return Array(s.open.values) }
        for channel in all { channel.close(promise: nil) }
    }

    /// Takes a freshly accepted descriptor: checks the peer, then gives it to an event loop.
    private func adopt(_ fd: CInt) {
        if peerPolicy.isRestricted {
            var cred = RawPeerCredentials(pid: 0, uid: 0, gid: 0)
            var size = socklen_t(MemoryLayout<RawPeerCredentials>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &size) == 0 else {
                LogRateLimiter.shared.log(logger, .warning, "closing a connection whose peer credentials cannot be read", metadata: ["error": "\(errnoText())"])
                close(fd)
                return
            }
            let peer = PeerCredentials(pid: cred.pid, uid: cred.uid, gid: cred.gid)
            guard peerPolicy.allows(peer) else {
                LogRateLimiter.shared.log(logger, .warning, "refused connection from a peer not in the allow-lists", metadata: ["peer": "\(peer)"])
                close(fd)
                return
            }
            logger.debug("accepted connection", metadata: ["peer": "\(peer)"])
        }
        let setup = ClientBootstrap(group: group)
            // A client that half-closes after its last request still gets every answer, and the
            // drain at shutdown sees the end of input as an event instead of a closed channel.
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(FrameDecoder(
                        maxFrameSize: limits.maxFrameSize, frameTimeout: limits.frameTimeout,
                        // Safe: runs on the channel's event loop while it is open, so the
                        // descriptor cannot have been closed and reused.
                        shutdownInput: { shutdown(fd, CInt(SHUT_RD)) == 0 }))
                    try sync.addHandler(RPCHandler(dispatcher: dispatcher, logger: logger))
                }
            }
            .withConnectedSocket(fd)
        let token = ObjectIdentifier(setup)
        let registered = setup.eventLoop.makePromise(of: Void.self)
        connections.withLock { $0.settingUp[token] = registered.futureResult }
        setup.whenComplete { [self] result in
            defer { registered.succeed(()) }
            switch result {
            case let .success(channel):
                let id = ObjectIdentifier(channel)
                let quiescing = connections.withLock { s in
                    s.settingUp[token] = nil
                    s.open[id] = channel
                    return s.quiescing
                }
                channel.closeFuture.whenComplete { [self] _ in _ = connections.withLock { $0.open.removeValue(forKey: id) } }
                if quiescing { channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
            case let .failure(error):
                _ = connections.withLock { $0.settingUp.removeValue(forKey: token) }
                LogRateLimiter.shared.log(logger, .warning, "could not set up a connection", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// The server's view of its connections.
struct ConnectionRegistry {
    var open: [ObjectIdentifier: any Channel] = [:]
    var settingUp: [ObjectIdentifier: EventLoopFuture<Void>] = [:]
    var quiescing = false
}

/// The layout of Linux's `struct ucred`, which Glibc only exports under `_GNU_SOURCE`.
struct RawPeerCredentials: Sendable {
    var pid: Int32
    var uid: UInt32
    var gid: UInt32
}
