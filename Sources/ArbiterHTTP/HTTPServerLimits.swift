import NIOCore

/// Per-connection limits of the HTTP front end (`server.maxFrameSize` for bodies,
/// `server.advanced.http.*` for the timeouts, as Cerbos's Go server reads them).
public struct HTTPServerLimits: Sendable, Hashable {
    /// Largest request body; larger ones get 413.
    public var maxBodySize: Int
    /// Largest request line plus headers; larger ones get 431.
    public var maxHeaderSize: Int
    /// Time from a request's first byte to its last.
    public var readTimeout: TimeAmount
    /// Time from a request's first byte to the end of its headers.
    public var readHeaderTimeout: TimeAmount
    /// Time allowed to write one response.
    public var writeTimeout: TimeAmount
    /// Time a keep-alive connection may wait for its next request.
    public var idleTimeout: TimeAmount

    /// Creates limits; the defaults are Cerbos's (4 MiB bodies, timeouts 30s, 15s, 30s, 120s)
    /// and NIO's 80 KiB for the request line and headers (Go allows 1 MiB; no Cerbos client
    /// sends headers anywhere near either).
    public init(maxBodySize: Int = 4 << 20, maxHeaderSize: Int = 80 * 1024, readTimeout: TimeAmount = .seconds(30),
                readHeaderTimeout: TimeAmount = .seconds(15), writeTimeout: TimeAmount = .seconds(30),
                idleTimeout: TimeAmount = .seconds(120)) {
        self.maxBodySize = maxBodySize
        self.maxHeaderSize = maxHeaderSize
        self.readTimeout = readTimeout
        self.readHeaderTimeout = readHeaderTimeout
        self.writeTimeout = writeTimeout
        self.idleTimeout = idleTimeout
    }
}
