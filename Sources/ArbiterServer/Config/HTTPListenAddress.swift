/// Where the HTTP front end listens (`server.httpListenAddr`), in Cerbos's syntax: `unix:/path`
/// for a Unix socket, otherwise `host:port`. A bare `:port` means loopback, unlike Cerbos (all
/// interfaces): a node daemon answers its own node, so exposing it takes an explicit address.
public enum HTTPListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// A Unix-domain socket at this path.
    case unix(path: String)
    /// A TCP listener on a numeric address.
    case tcp(host: String, port: Int)

    /// A problem with the address, worded for the operator.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        /// What is wrong and what is accepted.
        public var message: String
        /// The message.
        public var description: String { message }
    }

    /// Parses `unix:/run/arbiter/http.sock`, `127.0.0.1:3592`, `[::1]:3592`, `localhost:3592`
    /// or `:3592`.
    public init(parsing text: String) throws(ParseError) {
        let accepted = "use unix:/absolute/path, host:port with a numeric host, or :port for loopback"
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst("unix:".count))
            guard path.hasPrefix("/") else { throw ParseError(message: "\"\(text)\": the socket path must be absolute; \(accepted)") }
            guard path.utf8.count < 108 else { throw ParseError(message: "\"\(text)\": Unix socket paths must be shorter than 108 bytes") }
            self = .unix(path: path)
            return
        }
        guard let colon = text.lastIndex(of: ":") else { throw ParseError(message: "\"\(text)\" has no port; \(accepted)") }
        var host = String(text[..<colon])
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ParseError(message: "\"\(text)\": the port must be a number from 0 to 65535; \(accepted)")
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        switch host {
        case "", "localhost": host = "127.0.0.1"
        default:
            let isNumeric = host.allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" } && !host.isEmpty
            guard isNumeric else { throw ParseError(message: "\"\(text)\": the host must be a numeric address or localhost; \(accepted)") }
        }
        self = .tcp(host: host, port: port)
    }

    /// Whether a TCP address is a loopback one (`127.0.0.0/8`, `::1`); Unix sockets count as local.
    public var isLocal: Bool {
        switch self {
        case .unix: return true
        case let .tcp(host, _): return host.hasPrefix("127.") || host == "::1"
        }
    }

    /// The configuration text form.
    public var description: String {
        switch self {
        case let .unix(path): return "unix:" + path
        case let .tcp(host, port): return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
    }
}
