import ArbiterJSON
import CEL
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// A small async client for Arbiter's socket protocol: length-prefixed JSON-RPC 2.0 frames over
/// a Unix domain socket. Calls may be issued concurrently; they are pipelined on one connection
/// and each awaits its own response.
public final class ArbiterClient: Sendable {
    private let channel: any Channel
    private let handler: NIOLoopBound<ClientResponseHandler>

    private init(channel: any Channel, handler: NIOLoopBound<ClientResponseHandler>) {
        self.channel = channel
        self.handler = handler
    }

    /// Connects to the server socket at `path`; a failure is `ArbiterClientError.cannotConnect`.
    public static func connect(
        path: String, maxFrameSize: Int = 64 << 20,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> ArbiterClient {
        let channel: any Channel
        do {
            channel = try await bootstrap(group: group, maxFrameSize: maxFrameSize).connect(unixDomainSocketPath: path).get()
        } catch let error as IOError {
            throw ArbiterClientError.cannotConnect(path: path, errno: error.errnoCode)
        } catch is SocketAddressError {
            throw ArbiterClientError.cannotConnect(path: path, reason: "not a usable Unix socket path (at most 107 bytes)")
        }
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ClientResponseHandler.self), eventLoop: channel.eventLoop)
        }.get()
        return ArbiterClient(channel: channel, handler: handler)
    }

    private static func bootstrap(group: any EventLoopGroup, maxFrameSize: Int) -> ClientBootstrap {
        ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(ClientFrameDecoder(maxFrameSize: maxFrameSize)))
                    try channel.pipeline.syncOperations.addHandler(ClientResponseHandler())
                }
            }
    }

    /// Calls `method` with `params` and returns its `result`; a JSON-RPC error is thrown as
    /// `ArbiterClientError.rpc`.
    public func call(_ method: String, params: Value = .map(MapValue())) async throws -> Value {
        let response = try await callReturningResponse(method, params: params)
        return try ArbiterClient.result(of: response)
    }

    /// Calls `method` and returns the whole response object (`jsonrpc`, `id`, `result`/`error`).
    public func callReturningResponse(_ method: String, params: Value = .map(MapValue())) async throws -> Value {
        let handler = self.handler
        let channel = self.channel
        let future = try await channel.eventLoop.flatSubmit { () -> EventLoopFuture<Value> in
            let h = handler.value
            let id = h.nextID()
            let request = Value.map(MapValue(stringKeyed: [
                ("jsonrpc", .string("2.0")), ("id", .double(Double(id))), ("method", .string(method)), ("params", params),
            ]))
            do {
                let payload = try JSONWriter.encode(request)
                return h.send(payload: payload, id: id, channel: channel)
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
        }.get()
        return future
    }

    /// Sends `payload` verbatim as one frame and returns the next response (malformed-input
    /// tests, custom envelopes). Responses are matched in order.
    public func sendRawFrame(_ payload: [UInt8]) async throws -> Value {
        let handler = self.handler
        let channel = self.channel
        return try await channel.eventLoop.flatSubmit { () -> EventLoopFuture<Value> in
            handler.value.send(payload: payload, id: nil, channel: channel)
        }.get()
    }

    /// `Health`.
    public func health() async throws -> Value { try await call("Health") }
    /// `ServerInfo`.
    public func serverInfo() async throws -> Value { try await call("ServerInfo") }
    /// `CheckResources` with a Cerbos REST request body.
    public func checkResources(_ request: Value) async throws -> Value { try await call("CheckResources", params: request) }

    /// Closes the connection; pending calls fail.
    public func close() async {
        try? await channel.close()
    }

    /// Extracts `result` from a response object or throws its `error`.
    public static func result(of response: Value) throws -> Value {
        guard case let .map(m) = response else { throw ArbiterClientError.malformedResponse("response is not an object") }
        if let result = m[string: "result"] { return result }
        if case let .map(e)? = m[string: "error"] {
            var code = 0
            if case let .double(c)? = e[string: "code"] { code = Int(c) }
            var message = ""
            if case let .string(s)? = e[string: "message"] { message = s }
            throw ArbiterClientError.rpc(code: code, message: message, data: e[string: "data"])
        }
        throw ArbiterClientError.malformedResponse("response has neither result nor error")
    }
}

/// Errors reported by `ArbiterClient`.
public enum ArbiterClientError: Error, Sendable, CustomStringConvertible {
    /// The server answered with a JSON-RPC error.
    case rpc(code: Int, message: String, data: Value?)
    /// The server's answer could not be understood.
    case malformedResponse(String)
    /// The connection closed before the response arrived.
    case connectionClosed
    /// No connection could be made to the socket at `path`; `reason` says why in words.
    case cannotConnect(path: String, reason: String)

    static func cannotConnect(path: String, errno code: Int32) -> ArbiterClientError {
        let reason: String
        switch code {
        case ENOENT: reason = "no socket there; is `arbiter serve` running, and is this its server.socket.path? (--socket PATH)"
        case ECONNREFUSED: reason = "nothing is listening (a socket file left by a daemon that stopped?)"
        case EACCES, EPERM: reason = "permission denied; run as root or as a member of the socket's group (`arbiter` for the packaged service)"
        case ENOTSOCK: reason = "the path is not a socket"
        case ENOTDIR: reason = "a parent of the path is not a directory"
        default: reason = String(cString: strerror(code))
        }
        return .cannotConnect(path: path, reason: reason)
    }

    /// A one-line explanation.
    public var description: String {
        switch self {
        case let .rpc(code, message, data):
            let detail = data.flatMap { try? JSONWriter.encodeString($0) }.map { " \($0)" } ?? ""
            return "server error \(code): \(message)\(detail)"
        case let .malformedResponse(m): return "malformed response: \(m)"
        case .connectionClosed: return "connection closed before the response arrived"
        case let .cannotConnect(path, reason): return "cannot connect to \(path): \(reason)"
        }
    }
}
