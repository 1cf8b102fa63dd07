#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Accepts connections on one listening socket and runs each on an event loop with the pipeline
/// `initialize` builds, until graceful shutdown: then it stops accepting, tells every connection
/// to quiesce (`ChannelShouldQuiesceEvent`), and returns when the last one has closed (the
/// service group's grace period bounds the wait). Cancellation closes every connection at once.
///
/// Shared by the JSON-RPC socket (`SocketServer`) and the HTTP front end, so both apply the same
/// peer-credential rules, the same half-closure behaviour and the same drain.
public final class ConnectionListener: Service, Sendable {
    /// Builds a connection's pipeline on its event loop. `shutdownInput` stops the kernel from
    /// accepting more bytes from the peer (`shutdown(fd, SHUT_RD)`) while what is queued can still
    /// be read; it is safe to call only on the channel's event loop while the channel is open.
    public typealias Initializer = @Sendable (_ channel: any Channel, _ shutdownInput: @escaping @Sendable () -> Bool) throws -> Void
    /// An `Initializer` that also gets the peer's credentials (nil on TCP or when they cannot be read).
    public typealias PeerInitializer = @Sendable (_ channel: any Channel, _ shutdownInput: @escaping @Sendable () -> Bool,
                                                  _ peer: PeerCredentials?) throws -> Void

    private let socket: ListeningSocket
    private let peerPolicy: PeerPolicy
    private let group: any EventLoopGroup
    private let logger: Logger
    private let initialize: PeerInitializer
    private let onListening: @Sendable () -> Void
    private let connections = Mutex(ConnectionRegistry())

    /// Creates a listener for an already bound socket; `onListening` runs once connections are
    /// being accepted. The peer policy applies to Unix-domain sockets only (TCP peers carry no
    /// credentials).
    public convenience init(
        socket: ListeningSocket, peerPolicy: PeerPolicy = PeerPolicy(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger,
        onListening: @escaping @Sendable () -> Void = {}, initialize: @escaping Initializer
    ) {
        self.init(socket: socket, peerPolicy: peerPolicy, group: group, logger: logger, onListening: onListening,
                  initializeWithPeer: { channel, shutdownInput, _ in try initialize(channel, shutdownInput) })
    }

    /// A listener whose initializer also gets each Unix-domain peer's credentials.
    public init(
        socket: ListeningSocket, peerPolicy: PeerPolicy = PeerPolicy(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger,
        onListening: @escaping @Sendable () -> Void = {}, initializeWithPeer: @escaping PeerInitializer
    ) {
        self.socket = socket
        self.peerPolicy = peerPolicy
        self.group = group
        self.logger = logger
        self.onListening = onListening
        self.initialize = initializeWithPeer
    }

    /// Number of open client connections (for tests and status).
    public var connectionCount: Int { connections.withLock { $0.open.count } }

    public func run() async throws {
        let acceptor = try SocketAcceptor(listener: socket.descriptor, logger: logger) { [self] fd in adopt(fd) }
        try acceptor.start()
        logger.info("listening", metadata: ["socket": "\(socket.displayName)"])
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
            logger.info("shutting down: no longer accepting connections; answering the requests already received",
                        metadata: ["socket": "\(socket.displayName)"])
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
        logger.info("server stopped", metadata: ["socket": "\(socket.displayName)"])
    }

    private func closeAll() {
        let all = connections.withLock { s in s.quiescing = true; return Array(s.open.values) }
        for channel in all { channel.close(promise: nil) }
    }

    /// Takes a freshly accepted descriptor: checks the peer, then gives it to an event loop.
    private func adopt(_ fd: CInt) {
        var credentials: PeerCredentials?
        if socket.isUnixDomain {
            var cred = RawPeerCredentials(pid: 0, uid: 0, gid: 0)
            var size = socklen_t(MemoryLayout<RawPeerCredentials>.size)
            if getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &size) == 0 {
                credentials = PeerCredentials(pid: cred.pid, uid: cred.uid, gid: cred.gid)
            }
        }
        if peerPolicy.isRestricted, socket.isUnixDomain {
            guard let peer = credentials else {
                LogRateLimiter.shared.log(logger, .warning, "closing a connection whose peer credentials cannot be read", metadata: ["error": "\(errnoText())"])
                ListenerCounters.refusedPeer()
                close(fd)
                return
            }
            guard peerPolicy.allows(peer) else {
                LogRateLimiter.shared.log(logger, .warning, "refused connection from a peer not in the allow-lists", metadata: ["peer": "\(peer)"])
                ListenerCounters.refusedPeer()
                close(fd)
                return
            }
            logger.debug("accepted connection", metadata: ["peer": "\(peer)"])
        }
        let initialize = self.initialize
        let setup = ClientBootstrap(group: group)
            // A client that half-closes after its last request still gets every answer, and the
            // drain at shutdown sees the end of input as an event instead of a closed channel.
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try initialize(channel, { shutdown(fd, CInt(SHUT_RD)) == 0 }, credentials)
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
                ListenerCounters.opened()
                channel.closeFuture.whenComplete { [self] _ in
                    _ = connections.withLock { $0.open.removeValue(forKey: id) }
                    ListenerCounters.closed()
                }
                if quiescing { channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
            case let .failure(error):
                _ = connections.withLock { $0.settingUp.removeValue(forKey: token) }
                LogRateLimiter.shared.log(logger, .warning, "could not set up a connection", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// The listener's view of its connections.
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
