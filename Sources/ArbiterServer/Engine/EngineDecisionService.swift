import ArbiterAuxData
import ArbiterEngine
import ArbiterJSON
import CEL
import Logging
import ServiceLifecycle

/// Plugs the decision engine into the socket protocol: the snapshot is a ready `Engine` (an
/// immutable compiled policy set with its configuration), so a reload swaps engines whole.
public struct EngineDecisionService: DecisionService {
    public typealias Snapshot = Engine

    /// Verifies the request's `auxData` JWTs into the claims the engine evaluates with.
    public let auxData: AuxDataVerifier

    /// Creates the service; without a verifier, requests carrying JWTs are refused, as by
    /// Cerbos without `auxData` configuration.
    public init(auxData: AuxDataVerifier = AuxDataVerifier()) {
        self.auxData = auxData
    }

    /// Decodes the Cerbos request body, decides every resource with one `now`, and encodes the
    /// Cerbos response body. Bad params become JSON-RPC -32602 naming the field.
    public func checkResources(_ params: Value, snapshot: Engine) throws -> Value {
        let request = try CheckResourcesRequest(from: params)
        let now = Engine.currentTime()
        return try snapshot.checkResources(request, auxData: verifiedAuxData(request.auxData, now: now), now: now).toValue()
    }

    /// Same decision, encoded straight into the response frame: no `Value` tree in between.
    public func writeCheckResources(_ params: Value, snapshot: Engine, into writer: inout JSONWriter) throws {
        try writeCheckResources(decoded: try CheckResourcesRequest(from: params), snapshot: snapshot, into: &writer)
    }

    /// Decodes the Cerbos PlanResources body, verifies its `auxData` tokens as for CheckResources,
    /// plans it, and encodes the Cerbos response body. Bad params become JSON-RPC -32602 naming
    /// the field.
    public func planResources(_ params: Value, snapshot: Engine) throws -> Value {
        let request = try PlanResourcesRequest(from: params)
        let now = Engine.currentTime()
        return try snapshot.planResources(request, auxData: verifiedAuxData(request.auxData, now: now), now: now).toValue()
    }

    /// The request straight from the frame's bytes (see `CheckResourcesRequest.init(json:)`).
    public func decodeCheckResources(_ cursor: inout JSONCursor) -> CheckResourcesRequest? {
        CheckResourcesRequest(json: &cursor)
    }

    /// Decides a request decoded from bytes and encodes the response body into the frame.
    public func writeCheckResources(decoded request: CheckResourcesRequest, snapshot: Engine, into writer: inout JSONWriter) throws {
        let now = Engine.currentTime()
        try snapshot.checkResources(request, auxData: verifiedAuxData(request.auxData, now: now), now: now).write(to: &writer)
    }

    /// The claims of the request's `auxData` tokens, verified at `now`; nil without tokens.
    /// A token that does not verify is a request error (Cerbos: InvalidArgument, `invalid auxData`).
    public func verifiedAuxData(_ member: Value?, now: Timestamp) throws(RequestError) -> AuxData? {
        guard let member else { return nil }
        return try auxData.verify(AuxDataTokens(from: member), now: now)
    }

    /// The fetcher that keeps remote JWKS key sets current, when any are configured.
    public func backgroundServices(logger: Logger) -> [any Service] {
        auxData.remoteKeySets.isEmpty ? [] : [RemoteKeySetRefresher(keySets: auxData.remoteKeySets, logger: logger)]
    }
}

extension RequestError: RPCErrorConvertible {
    /// Request problems are the caller's: invalid params, with the JSON path of the field.
    public var rpcError: RPCError { .invalidParams(field: path, reason: message) }
}
