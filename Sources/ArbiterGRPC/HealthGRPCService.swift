import ArbiterEngine
import ArbiterServer
import GRPCCore
import SwiftProtobuf
import Synchronization

/// `grpc.health.v1.Health` for `""` (the whole server) and `cerbos.svc.v1.CerbosService`:
/// SERVING once a policy snapshot is loaded, NOT_SERVING before it and once shutdown begins.
/// Check answers NOT_FOUND for other names; Watch streams SERVICE_UNKNOWN for them, as the
/// reference health server does. The daemon's HTTP/2 handler answers both methods on its event
/// loop from what this holds (`GRPCConnectionHandler`, `GRPCCallAnswerer`).
public final class HealthGRPCService: Sendable {
    /// The names the health server knows.
    public static let serviceNames: Set<String> = ["", Cerbos_Svc_V1_CerbosService.descriptor.fullyQualifiedService]

    private let store: PolicyStore<Engine>
    private let shuttingDown = Atomic<Bool>(false)
    /// How often a Watch stream looks for a change.
    let watchInterval: Duration

    /// Creates the service. Watch looks at the snapshot cell every `watchInterval` (the store
    /// has no change notification, and a status changes at most twice in a daemon's life).
    public init(store: PolicyStore<Engine>, watchInterval: Duration = .milliseconds(250)) {
        self.store = store
        self.watchInterval = watchInterval
    }

    /// Reports NOT_SERVING from now on and ends every Watch stream.
    public func beginShutdown() {
        shuttingDown.store(true, ordering: .relaxed)
    }

    /// Whether `beginShutdown` was called.
    var isShuttingDown: Bool { shuttingDown.load(ordering: .relaxed) }

    /// The status of `service`, nil for a name this server does not know.
    func status(of service: String) -> Grpc_Health_V1_HealthCheckResponse.ServingStatus? {
        Self.serviceNames.contains(service) ? status : nil
    }

    private var status: Grpc_Health_V1_HealthCheckResponse.ServingStatus {
        if shuttingDown.load(ordering: .relaxed) { return .notServing }
        return store.snapshot() == nil ? .notServing : .serving
    }
}
