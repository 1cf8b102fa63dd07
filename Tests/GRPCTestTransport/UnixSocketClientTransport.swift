public import GRPCCore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP2
import NIOPosix

/// A gRPC client transport over one plaintext HTTP/2 connection on a Unix socket, for the tests
/// and benchmarks: `GRPCClient(transport:)` and the generated clients call the daemon through it.
/// It stands in for grpc-swift's NIO transport, whose TLS stack (swift-nio-ssl, a second
/// BoringSSL) cost the debug build about 100 s, and keeps to what a client must do by
/// https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md: no TLS, no compression, no
/// reconnection, no retries (a test wants to see the server's first answer, not a retried one).
///
/// `connect()` opens the connection; calls made before it is up wait for it. Once the connection
/// is lost every new call fails `unavailable`, and `connect()` returns only at the client's
/// graceful shutdown (when the last call has ended) or when its task is cancelled, so that the
/// client reports calls' failures rather than stopping under them.
public final class UnixSocketClientTransport: ClientTransport {
    public typealias Bytes = [UInt8]

    /// The `user-agent` of every call, for tests that check what the server logs of it.
    public static let userAgent = "arbiter-grpc-test-transport/1"
    public let retryThrottle: RetryThrottle? = nil
    let socketPath: String
    private let state = NIOLockedValueBox(State())
    /// Wakes `connect()` to check whether it may close: at shutdown and at the end of each call.
    private let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    public init(socketPath: String) {
        self.socketPath = socketPath
        (wakeUps, wake) = AsyncStream.makeStream(of: Void.self)
    }

    public func connect() async throws {
        let connection: HTTP2Connection
        do {
            connection = try await HTTP2Connection.open(socketPath: socketPath)
        } catch {
            let failure = RPCError(code: .unavailable, message: "cannot connect to \(socketPath)", cause: error)
            for waiter in state.withLockedValue({ $0.lose() }) { waiter.resume(throwing: failure) }
            throw failure
        }
        for waiter in state.withLockedValue({ $0.connected(connection) }) { waiter.resume(returning: connection) }
        // Registered once the state is `.open`, so no call waits for a connection already gone.
        connection.channel.closeFuture.whenComplete { [state] _ in _ = state.withLockedValue { $0.lose() } }
        // Ends early when the task is cancelled: AsyncStream's iteration stops then.
        for await _ in wakeUps where state.withLockedValue({ $0.mayClose }) { break }
        // Closing fails only when the peer has already closed it, which is what is wanted.
        try? await connection.channel.close()
    }

    public func beginGracefulShutdown() {
        state.withLockedValue { $0.shuttingDown = true }
        wake.yield()
    }

    public func config(forMethod descriptor: MethodDescriptor) -> MethodConfig? { nil }

    public func withStream<T: Sendable>(
        descriptor: MethodDescriptor, options: CallOptions,
        _ closure: (RPCStream<Inbound, Outbound>, ClientContext) async throws -> T
    ) async throws -> T {
        try state.withLockedValue { try $0.startCall() }
        defer {
            state.withLockedValue { $0.openCalls -= 1 }
            wake.yield()
        }
        let connection = try await established()
        await withCheckedContinuation { waiter in
            if state.withLockedValue({ $0.takeStreamSlot(waiter) }) { waiter.resume() }
        }
        defer { state.withLockedValue { $0.releaseStreamSlot() }?.resume() }
        let stream: NIOAsyncChannel<HTTP2Frame.FramePayload, HTTP2Frame.FramePayload>
        do {
            stream = try await connection.streams.openStream { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel(wrappingChannelSynchronously: channel) }
            }
        } catch {
            throw RPCError(code: .unavailable, message: "cannot open an HTTP/2 stream", cause: error)
        }
        let head = RequestHead(descriptor: descriptor, timeout: options.timeout)
        let context = ClientContext(descriptor: descriptor, remotePeer: "unix:" + socketPath, localPeer: "unix:")
        // Leaving executeThenClose closes the stream channel: a stream that has not ended both
        // ways (a cancelled call) is reset with RST_STREAM(CANCEL), so the server stops working on it.
        return try await stream.executeThenClose { inbound, outbound in
            let rpc = RPCStream(
                descriptor: descriptor,
                inbound: RPCAsyncSequence(wrapping: ResponseParts(frames: inbound, connection: connection.channel)),
                outbound: RPCWriter.Closable(wrapping: RequestWriter(frames: outbound, head: head)))
            return try await closure(rpc, context)
        }
    }

    /// The connection, once `connect()` has made it.
    private func established() async throws -> HTTP2Connection {
        try await withCheckedThrowingContinuation { waiter in
            let now = state.withLockedValue { state -> ConnectionState in
                if case .pending(var waiters) = state.connection {
                    waiters.append(waiter)
                    state.connection = .pending(waiters)
                }
                return state.connection
            }
            switch now {
            case .pending: break  // `connect()` resumes it
            case .open(let connection): waiter.resume(returning: connection)
            case .lost: waiter.resume(throwing: lostConnection)
            }
        }
    }

    private var lostConnection: RPCError {
        RPCError(code: .unavailable, message: "the connection to \(socketPath) is closed")
    }
}

/// The HTTP/2 connection: its socket channel and the multiplexer that opens streams on it.
struct HTTP2Connection: Sendable {
    let channel: any Channel
    let streams: NIOHTTP2Handler.AsyncStreamMultiplexer<Void>

    static func open(socketPath: String) async throws -> HTTP2Connection {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: socketPath) { channel in
                channel.eventLoop.makeCompletedFuture {
                    // The server opens no streams (no push); any it tried would just be closed.
                    let streams = try channel.pipeline.syncOperations.configureAsyncHTTP2Pipeline(mode: .client) { stream in
                        stream.close()
                    }
                    return HTTP2Connection(channel: channel, streams: streams)
                }
            }
    }
}

enum ConnectionState {
    case pending([CheckedContinuation<HTTP2Connection, any Error>])
    case open(HTTP2Connection)
    case lost
}

/// What the transport's tasks share, under its lock.
struct State {
    /// At most this many streams are open at once; further calls wait for one to end. NIOHTTP2
    /// would hold streams over the peer's SETTINGS_MAX_CONCURRENT_STREAMS in its own buffer, but
    /// the 2,000 calls of a bad-input test took 38 s through that buffer and 9 s through this limit.
    /// 100 is the least the spec recommends a peer allow (RFC 9113, 6.5.2).
    static let maxOpenStreams = 100

    var connection = ConnectionState.pending([])
    var shuttingDown = false
    var openCalls = 0
    var openStreams = 0
    var streamWaiters: [CheckedContinuation<Void, Never>] = []

    var mayClose: Bool { shuttingDown && openCalls == 0 }

    mutating func startCall() throws {
        guard !shuttingDown else { throw RPCError(code: .failedPrecondition, message: "the transport is shutting down") }
        openCalls += 1
    }

    /// Takes a stream slot if one is free (true); else queues `waiter` for the next one freed.
    mutating func takeStreamSlot(_ waiter: CheckedContinuation<Void, Never>) -> Bool {
        guard openStreams < Self.maxOpenStreams else {
            streamWaiters.append(waiter)
            return false
        }
        openStreams += 1
        return true
    }

    /// Frees a stream slot; returns the call it passes to, if one waits.
    mutating func releaseStreamSlot() -> CheckedContinuation<Void, Never>? {
        guard streamWaiters.isEmpty else { return streamWaiters.removeFirst() }
        openStreams -= 1
        return nil
    }

    /// Records the connection; returns the calls waiting for it.
    mutating func connected(_ connection: HTTP2Connection) -> [CheckedContinuation<HTTP2Connection, any Error>] {
        guard case .pending(let waiters) = self.connection else { return [] }
        self.connection = .open(connection)
        return waiters
    }

    /// Records that there is no connection any more; returns the calls waiting for one.
    mutating func lose() -> [CheckedContinuation<HTTP2Connection, any Error>] {
        defer { connection = .lost }
        if case .pending(let waiters) = connection { return waiters }
        return []
    }
}
