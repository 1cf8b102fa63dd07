/// What a front end knows about one call besides its body: who made it, its metadata, and the
/// recorder that logs it. Every front end (JSON-RPC, HTTP, gRPC) builds one per request and
/// hands it to the decision service with the request, so the entry logged is made from exactly
/// the request and response answered.
public struct DecisionCall: Sendable {
    /// The peer of the connection.
    public var peer: AuditPeer?
    /// HTTP headers or gRPC metadata, names lower case; filtered by the audit configuration.
    public var metadata: [(key: String, value: String)]
    /// The recorder, or nil when auditing is off.
    public var recorder: DecisionRecorder?
    /// The snapshot generation that decides the call (read with the snapshot, in one lock).
    public var generation: UInt64

    /// Creates a call.
    public init(peer: AuditPeer? = nil, metadata: [(key: String, value: String)] = [], recorder: DecisionRecorder? = nil,
                generation: UInt64 = 0) {
        self.peer = peer
        self.metadata = metadata
        self.recorder = recorder
        self.generation = generation
    }
}
