import ArbiterJSON
import CEL
import Logging
import ServiceLifecycle

/// The decision engine as the server sees it. The server parses the JSON-RPC envelope, reads
/// the current snapshot once and hands both over; the engine validates the params and returns
/// the Cerbos REST response body. Methods run on the connection's event loop, so they must not
/// block on I/O.
public protocol DecisionService<Snapshot>: Sendable {
    /// The compiled, immutable policy set the engine decides with.
    associatedtype Snapshot: Sendable

    /// `CheckResources`: params are the Cerbos REST request body; returns the response body.
    /// Throw an `RPCErrorConvertible` (usually `RPCError.invalidParams`) for bad input.
    func checkResources(_ params: Value, snapshot: Snapshot) throws -> Value

    /// `PlanResources`: same contract; the default answers "method not found".
    func planResources(_ params: Value, snapshot: Snapshot) throws -> Value

    /// `CheckResources` with the result appended to `writer` as JSON. The default writes
    /// `checkResources`'s value; an engine that can encode its response directly overrides it
    /// to skip the intermediate `Value` tree. Throw `JSONEncodingError` when the result cannot
    /// be written, anything else as from `checkResources`.
    func writeCheckResources(_ params: Value, snapshot: Snapshot, into writer: inout JSONWriter) throws

    /// A `CheckResources` request decoded straight from the params' JSON bytes; `Never` for an
    /// engine that only reads `Value` params.
    associatedtype DecodedCheckResources: Sendable = Never

    /// Decodes the params object at `cursor` without building a `Value`, or returns nil for
    /// anything but a plain valid request: the dispatcher then parses the frame into a `Value`
    /// and calls the methods above, which report the exact error. The default decodes nothing.
    func decodeCheckResources(_ cursor: inout JSONCursor) -> DecodedCheckResources?

    /// `writeCheckResources` for a request `decodeCheckResources` returned: same result, same
    /// errors.
    func writeCheckResources(decoded request: DecodedCheckResources, snapshot: Snapshot, into writer: inout JSONWriter) throws

    /// Long-running parts the engine needs beside the socket (remote JWKS refresh), run in
    /// the daemon's service group. The default has none.
    func backgroundServices(logger: Logger) -> [any Service]

    /// `writeCheckResources(decoded:…)` for a call that may be audited (`call.recorder`): the
    /// recorder gets the request and the response written. The default ignores the call.
    func writeCheckResources(decoded request: DecodedCheckResources, snapshot: Snapshot, call: DecisionCall,
                             into writer: inout JSONWriter) throws

    /// `writeCheckResources(_:…)` for a call that may be audited; the default ignores the call.
    func writeCheckResources(_ params: Value, snapshot: Snapshot, call: DecisionCall, into writer: inout JSONWriter) throws

    /// `planResources` for a call that may be audited; the default ignores the call.
    func planResources(_ params: Value, snapshot: Snapshot, call: DecisionCall) throws -> Value
}

extension DecisionService {
    /// No background work.
    public func backgroundServices(logger: Logger) -> [any Service] { [] }

    /// Not offered unless the engine implements it.
    public func planResources(_ params: Value, snapshot: Snapshot) throws -> Value {
        throw RPCError.methodNotFound(RPCMethod.planResources.rawValue)
    }

    /// Writes the value `checkResources` returns.
    public func writeCheckResources(_ params: Value, snapshot: Snapshot, into writer: inout JSONWriter) throws {
        let result = try checkResources(params, snapshot: snapshot)
        try writer.write(result)
    }
}

extension DecisionService where DecodedCheckResources == Never {
    /// Nothing is decoded from bytes: every request takes the `Value` path.
    public func decodeCheckResources(_ cursor: inout JSONCursor) -> Never? { nil }

    /// Never called: there is no decoded request.
    public func writeCheckResources(decoded request: Never, snapshot: Snapshot, into writer: inout JSONWriter) throws {}
}

/// What `ServerInfo` reports.
public struct ServerIdentity: Sendable, Hashable {
    /// The release version, e.g. `0.1.0`.
    public var version: String
    /// The build identifier (commit and date), free-form.
    public var build: String
    /// The protocol version this server speaks; bumped on incompatible changes.
    public var protocolVersion: Int

    /// The protocol version implemented by this module.
    public static let currentProtocolVersion = 1

    /// Creates an identity.
    public init(version: String, build: String, protocolVersion: Int = ServerIdentity.currentProtocolVersion) {
        self.version = version
        self.build = build
        self.protocolVersion = protocolVersion
    }
}

extension DecisionService {
    /// `writeCheckResources(decoded:…)` for a call that may be audited; the default ignores the
    /// call. An engine that audits overrides the three `call:` methods.
    public func writeCheckResources(decoded request: DecodedCheckResources, snapshot: Snapshot, call: DecisionCall,
                                    into writer: inout JSONWriter) throws {
        try writeCheckResources(decoded: request, snapshot: snapshot, into: &writer)
    }

    /// `writeCheckResources(_:…)` for a call that may be audited; the default ignores the call.
    public func writeCheckResources(_ params: Value, snapshot: Snapshot, call: DecisionCall, into writer: inout JSONWriter) throws {
        try writeCheckResources(params, snapshot: snapshot, into: &writer)
    }

    /// `planResources` for a call that may be audited; the default ignores the call.
    public func planResources(_ params: Value, snapshot: Snapshot, call: DecisionCall) throws -> Value {
        try planResources(params, snapshot: snapshot)
    }
}
