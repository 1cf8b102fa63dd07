/// The bounds a gRPC connection runs under.
public struct GRPCServerLimits: Sendable, Hashable {
    /// The largest request message (`server.advanced.grpc.maxRecvMsgSizeBytes`); larger ones
    /// are refused RESOURCE_EXHAUSTED as soon as their length prefix arrives.
    public var maxRecvMessageSize: Int
    /// Streams one connection may have open at once; the HTTP/2 SETTINGS tell clients, which
    /// queue further calls, so one connection cannot hold an unbounded number of handlers.
    public var maxConcurrentStreams: Int

    /// Creates limits; the defaults are Cerbos's message size and a stream bound well above
    /// what a co-located client keeps in flight.
    public init(maxRecvMessageSize: Int = 4 << 20, maxConcurrentStreams: Int = 256) {
        self.maxRecvMessageSize = maxRecvMessageSize
        self.maxConcurrentStreams = maxConcurrentStreams
    }
}
