import CEL

/// A JSON-RPC 2.0 error object: `{code, message, data}`.
public struct RPCError: Error, Sendable, CustomStringConvertible {
    /// The JSON-RPC error code.
    public var code: Int
    /// A short sentence for humans.
    public var message: String
    /// Details; for request problems `{"field": "<path>", "reason": "..."}`.
    public var data: Value?

    /// Creates an error object.
    public init(code: Int, message: String, data: Value? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// `code message (data)` for logs.
    public var description: String { "\(code) \(message)" }

    /// -32700: the frame is not valid JSON.
    public static let parseErrorCode = -32700
    /// -32600: the JSON is not a valid JSON-RPC request.
    public static let invalidRequestCode = -32600
    /// -32601: no such method.
    public static let methodNotFoundCode = -32601
    /// -32602: the params are invalid (missing field, bad value, over a limit).
    public static let invalidParamsCode = -32602
    /// -32603: the server failed.
    public static let internalErrorCode = -32603

    /// A parse error with the position in the frame.
    public static func parseError(offset: Int, line: Int, column: Int, reason: String) -> RPCError {
        RPCError(code: parseErrorCode, message: "Parse error", data: .map(MapValue(stringKeyed: [
            ("offset", .int(Int64(offset))), ("line", .int(Int64(line))), ("column", .int(Int64(column))),
            ("reason", .string(reason)),
        ])))
    }

    /// An invalid request naming the envelope field at fault.
    public static func invalidRequest(field: String, reason: String) -> RPCError {
        RPCError(code: invalidRequestCode, message: "Invalid Request", data: fieldData(field, reason))
    }

    /// An unknown method.
    public static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: methodNotFoundCode, message: "Method not found", data: .map(MapValue(stringKeyed: [
            ("field", .string("method")), ("reason", .string("unknown method \"\(method)\"")),
            ("methods", .list(RPCMethod.allCases.map { .string($0.rawValue) })),
        ])))
    }

    /// Invalid params naming the field at fault, e.g. `params.principal.id`.
    public static func invalidParams(field: String, reason: String) -> RPCError {
        RPCError(code: invalidParamsCode, message: "Invalid params", data: fieldData(field, reason))
    }

    /// An internal error; `reason` must not leak secrets, it is sent to the client.
    public static func internalError(_ reason: String) -> RPCError {
        RPCError(code: internalErrorCode, message: "Internal error", data: .map(MapValue(stringKeyed: [
            ("reason", .string(reason)),
        ])))
    }

    private static func fieldData(_ field: String, _ reason: String) -> Value {
        .map(MapValue(stringKeyed: [("field", .string(field)), ("reason", .string(reason))]))
    }
}

/// An error that knows its JSON-RPC form. Only such errors reach a client verbatim; any other
/// error thrown by a method is logged and answered with -32603.
public protocol RPCErrorConvertible: Error {
    /// The error as sent to the client.
    var rpcError: RPCError { get }
}

extension RPCError: RPCErrorConvertible {
    /// Itself.
    public var rpcError: RPCError { self }
}

/// The methods of the protocol; `rawValue` is the wire name.
public enum RPCMethod: String, Sendable, CaseIterable {
    case checkResources = "CheckResources"
    case planResources = "PlanResources"
    case serverInfo = "ServerInfo"
    case health = "Health"
}
