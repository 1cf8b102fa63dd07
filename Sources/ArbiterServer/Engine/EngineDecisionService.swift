import ArbiterEngine
import ArbiterJSON
import CEL

/// Plugs the decision engine into the socket protocol: the snapshot is a ready `Engine` (an
/// immutable compiled policy set with its configuration), so a reload swaps engines whole.
public struct EngineDecisionService: DecisionService {
    public typealias Snapshot = Engine

    public init() {}

    /// Decodes the Cerbos request body, decides every resource with one `now`, and encodes the
    /// Cerbos response body. Bad params become JSON-RPC -32602 naming the field.
    public func checkResources(_ params: Value, snapshot: Engine) throws -> Value {
        let request = try CheckResourcesRequest(from: params)
        return try snapshot.checkResources(request).toValue()
    }

    /// Same decision, encoded straight into the response frame: no `Value` tree in between.
    public func writeCheckResources(_ params: Value, snapshot: Engine, into writer: inout JSONWriter) throws {
        let request = try CheckResourcesRequest(from: params)
        try snapshot.checkResources(request).write(to: &writer)
    }

    /// Decodes the Cerbos PlanResources body, plans it, and encodes the Cerbos response body.
    /// Bad params become JSON-RPC -32602 naming the field.
    public func planResources(_ params: Value, snapshot: Engine) throws -> Value {
        let request = try PlanResourcesRequest(from: params)
        return try snapshot.planResources(request).toValue()
    }

    /// The request straight from the frame's bytes (see `CheckResourcesRequest.init(json:)`).
    public func decodeCheckResources(_ cursor: inout JSONCursor) -> CheckResourcesRequest? {
        CheckResourcesRequest(json: &cursor)
    }

    /// Decides a request decoded from bytes and encodes the response body into the frame.
    public func writeCheckResources(decoded request: CheckResourcesRequest, snapshot: Engine, into writer: inout JSONWriter) throws {
        try snapshot.checkResources(request).write(to: &writer)
    }
}

extension RequestError: RPCErrorConvertible {
    /// Request problems are the caller's: invalid params, with the JSON path of the field.
    public var rpcError: RPCError { .invalidParams(field: path, reason: message) }
}
