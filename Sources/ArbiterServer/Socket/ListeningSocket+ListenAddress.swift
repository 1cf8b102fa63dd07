import Logging

extension ListeningSocket {
    /// Binds a front end's configured address (`server.httpListenAddr`, `server.grpcListenAddr`):
    /// a Unix socket with the JSON-RPC socket's rules (mode `server.udsFileMode`, else
    /// `server.socket.mode`; group `server.socket.group`; stale sockets replaced, live ones left
    /// alone), or a TCP listener, with a warning when it is not a loopback address.
    public static func bind(_ address: HTTPListenAddress, configuration config: ServerConfiguration, purpose: String,
                            logger: Logger) throws -> ListeningSocket {
        switch address {
        case let .unix(path):
            let gid = try config.socketGroup.map { try ListeningSocket.groupID($0) }
            return try ListeningSocket.bind(path: path, mode: config.httpSocketMode ?? config.socketMode, group: gid, logger: logger)
        case let .tcp(host, port):
            if !address.isLocal {
                logger.warning("\(purpose) listens on a non-loopback address: anyone who can reach it can ask for decisions",
                               metadata: ["address": "\(address)"])
            }
            return try ListeningSocket.bindTCP(host: host, port: port)
        }
    }
}
