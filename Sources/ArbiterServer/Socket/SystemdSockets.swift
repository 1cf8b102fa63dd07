#if canImport(Glibc)
import Glibc
#endif
import CSystemd

/// The listening sockets systemd socket activation passed (`LISTEN_FDS`, `LISTEN_FDNAMES`),
/// sorted by role: the one named `http` (`FileDescriptorName=http`) is the HTTP front end's, the
/// one named `grpc` the gRPC front end's, the first other one the JSON-RPC socket's (a unit
/// without names keeps working as before).
public struct SystemdSockets: Sendable {
    /// The `FileDescriptorName=` that hands a socket to the HTTP front end.
    public static let httpName = "http"
    /// The `FileDescriptorName=` that hands a socket to the gRPC front end.
    public static let grpcName = "grpc"

    /// The JSON-RPC socket, if one was passed.
    public var jsonRPC: ListeningSocket?
    /// The HTTP socket, if one was passed.
    public var http: ListeningSocket?
    /// The gRPC socket, if one was passed.
    public var grpc: ListeningSocket?

    /// Creates a value (tests).
    public init(jsonRPC: ListeningSocket? = nil, http: ListeningSocket? = nil, grpc: ListeningSocket? = nil) {
        self.jsonRPC = jsonRPC
        self.http = http
        self.grpc = grpc
    }

    /// Reads and clears the activation environment. The JSON-RPC socket must be a listening Unix
    /// stream socket; the HTTP and gRPC ones listening stream sockets, Unix or TCP.
    public static func take() throws -> SystemdSockets {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        let n = sd_listen_fds_with_names(1, &names)
        if n < 0 { throw SocketSetupError("sd_listen_fds failed: \(String(cString: strerror(-n)))") }
        defer {
            if let names {
                for i in 0..<Int(n) { free(names[i]) }
                free(names)
            }
        }
        var result = SystemdSockets()
        for i in 0..<Int(n) {
            let fd = SD_LISTEN_FDS_START + CInt(i)
            let name = names?[i].map { String(cString: $0) } ?? ""
            if name == httpName || name == grpcName {
                let slot: WritableKeyPath<SystemdSockets, ListeningSocket?> = name == httpName ? \.http : \.grpc
                guard result[keyPath: slot] == nil else { throw SocketSetupError("socket activation passed two sockets named \"\(name)\"") }
                let isUnix = sd_is_socket_unix(fd, CInt(SOCK_STREAM.rawValue), 1, nil, 0) > 0
                guard isUnix || sd_is_socket(fd, AF_UNSPEC, CInt(SOCK_STREAM.rawValue), 1) > 0 else {
                    throw SocketSetupError("socket activation passed descriptor \(fd) named \"\(name)\", which is not a listening stream socket")
                }
                result[keyPath: slot] = ListeningSocket(descriptor: fd, path: nil, ownsPath: false, isUnixDomain: isUnix,
                                                        displayName: "fd \(fd) (systemd, \(name))")
            } else if result.jsonRPC == nil {
                guard sd_is_socket_unix(fd, CInt(SOCK_STREAM.rawValue), 1, nil, 0) > 0 else {
                    throw SocketSetupError("socket activation passed descriptor \(fd), which is not a listening Unix stream socket")
                }
                result.jsonRPC = ListeningSocket(descriptor: fd, path: nil, ownsPath: false)
            }
        }
        return result
    }
}
