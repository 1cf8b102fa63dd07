import ArbiterJSON
import ArbiterServer
import CEL
import NIOHTTP1

/// An error answered in grpc-gateway's body, `{"code": <gRPC code>, "message": "...",
/// "details": []}`, with the HTTP status Cerbos's gateway gives that code. Every failure of the
/// HTTP front end, from a malformed request line to an engine failure, is one of these.
public struct GatewayError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponseStatus
    /// The gRPC status code (3 invalid argument, 5 not found, 12 unimplemented, 13 internal, ...).
    public var code: Int
    /// A sentence for humans, naming the field or header at fault.
    public var message: String
    /// Extra response headers (`Allow` for 405).
    public var headers: [(String, String)] = []

    /// Creates an error.
    public init(status: HTTPResponseStatus, code: Int, message: String, headers: [(String, String)] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(message)" }

    public static func == (a: GatewayError, b: GatewayError) -> Bool {
        a.status == b.status && a.code == b.code && a.message == b.message
            && a.headers.map { "\($0.0):\($0.1)" } == b.headers.map { "\($0.0):\($0.1)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(status.code)
        hasher.combine(code)
        hasher.combine(message)
    }

    /// gRPC status codes used here (google.rpc.Code).
    public enum Code {
        /// The request is malformed or breaks a validation rule or limit.
        public static let invalidArgument = 3
        /// No such route, or an unknown health service.
        public static let notFound = 5
        /// Too large.
        public static let resourceExhausted = 8
        /// The route exists but not with this method.
        public static let unimplemented = 12
        /// The server failed.
        public static let `internal` = 13
        /// No policy set is loaded yet.
        public static let unavailable = 14
    }

    /// 400: a request that breaks a rule, naming the field.
    public static func invalidArgument(_ message: String) -> GatewayError {
        GatewayError(status: .badRequest, code: Code.invalidArgument, message: message)
    }

    /// 404 for a path no route serves (grpc-gateway's words).
    public static let notFound = GatewayError(status: .notFound, code: Code.notFound, message: "Not Found")

    /// 405 naming the methods the path accepts.
    public static func methodNotAllowed(allowed: [HTTPMethod]) -> GatewayError {
        GatewayError(status: .methodNotAllowed, code: Code.unimplemented, message: "Method Not Allowed",
                     headers: [("Allow", allowed.map(\.rawValue).joined(separator: ", "))])
    }

    /// 413 for a body over the limit.
    public static func bodyTooLarge(limit: Int) -> GatewayError {
        GatewayError(status: .payloadTooLarge, code: Code.resourceExhausted,
                     message: "request body is larger than the limit of \(limit) bytes (server.maxFrameSize)")
    }

    /// 415 for a body that is not JSON.
    public static func unsupportedMediaType(_ contentType: String) -> GatewayError {
        GatewayError(status: .unsupportedMediaType, code: Code.invalidArgument,
                     message: "Content-Type \"\(contentType)\" is not supported; send application/json")
    }

    /// 500 with a reason that must not leak secrets.
    public static func `internal`(_ message: String) -> GatewayError {
        GatewayError(status: .internalServerError, code: Code.internal, message: message)
    }

    /// 503 before the first policy set is loaded.
    public static let noPolicies = GatewayError(
        status: .serviceUnavailable, code: Code.unavailable,
        message: "no policy set is loaded yet; the daemon's log and the JSON-RPC Health method show the last reload's diagnostics")

    /// The HTTP form of a JSON-RPC error from the engine or the JSON layer.
    public init(_ error: RPCError) {
        switch error.code {
        case RPCError.invalidParamsCode, RPCError.invalidRequestCode:
            let field = Self.string(error.data, "field")
            let reason = Self.string(error.data, "reason")
            self = .invalidArgument(field.isEmpty ? reason : "\(field): \(reason)")
        case RPCError.parseErrorCode:
            self = .invalidArgument("request body is not valid JSON: \(Self.string(error.data, "reason"))")
        case RPCError.methodNotFoundCode:
            self = .notFound
        default:
            let reason = Self.string(error.data, "reason")
            self = .internal(reason.isEmpty ? error.message : reason)
        }
    }

    /// The JSON body.
    public var body: [UInt8] {
        var w = JSONWriter(capacity: 64 + message.utf8.count)
        w.appendASCII("{\"code\":")
        w.writeInt(Int64(code))
        w.appendASCII(",\"message\":")
        w.writeString(message)
        w.appendASCII(",\"details\":[]}")
        return w.bytes
    }

    private static func string(_ data: Value?, _ key: String) -> String {
        if case let .map(m)? = data, case let .string(s)? = m[string: key] { return s }
        return ""
    }
}
