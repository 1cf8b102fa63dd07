import Logging
import ServiceLifecycle

/// What a front end beside the JSON-RPC socket (the HTTP API, later gRPC) is built from: the
/// same configuration, snapshot cell, identity and engine as the socket, so every front end
/// gives the same decision on the same snapshot.
public struct FrontEndContext<Decisions: DecisionService>: Sendable {
    /// The configuration in force.
    public var configuration: ServerConfiguration
    /// The snapshot cell the JSON-RPC socket reads too.
    public var store: PolicyStore<Decisions.Snapshot>
    /// What server-info endpoints report.
    public var identity: ServerIdentity
    /// The engine.
    public var decisions: Decisions
    /// The daemon's logger.
    public var logger: Logger
    /// The sockets systemd socket activation passed, if any.
    public var activatedSockets: SystemdSockets
    /// Where decisions are audited; nil when auditing is off. Front ends pass it in each
    /// `DecisionCall` (see `DecisionRecorder`).
    public var recorder: DecisionRecorder? = nil
    /// The daemon's metrics, served at `/_cerbos/metrics`; nil when metrics are off.
    public var metrics: ServerMetrics? = nil

    /// The socket a front end listens on: the one systemd socket activation passed
    /// (`activated`), else the configured `address` bound with the JSON-RPC socket's rules
    /// (`ListeningSocket.bind(_:configuration:purpose:logger:)`), else nil: the front end is off.
    public func listeningSocket(activated: ListeningSocket?, address: String?, purpose: String) throws -> ListeningSocket? {
        if let activated {
            logger.info("\(purpose): using the socket passed by systemd socket activation")
            return activated
        }
        guard let address else { return nil }
        return try ListeningSocket.bind(try HTTPListenAddress(parsing: address), configuration: configuration,
                                        purpose: purpose, logger: logger)
    }
}

/// Builds a front end's service, or returns nil when the configuration leaves it off. Throws
/// `SocketSetupError` (or any error worded for the operator) when it cannot listen.
public typealias FrontEndFactory<Decisions: DecisionService> = @Sendable (FrontEndContext<Decisions>) throws -> (any Service)?
