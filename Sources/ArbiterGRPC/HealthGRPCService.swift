import ArbiterEngine
import ArbiterServer
import GRPCCore
import SwiftProtobuf
import Synchronization

/// `grpc.health.v1.Health` for `""` (the whole server) and `cerbos.svc.v1.CerbosService`:
/// SERVING once a policy snapshot is loaded, NOT_SERVING before it and once shutdown begins.
/// Check answers NOT_FOUND for other names; Watch streams SERVICE_UNKNOWN for them, as the
/// reference health server does. The daemon's HTTP/2 handler answers both methods on its event
/// loop (`GRPCConnectionHandler`); the protocol methods serve grpc-swift's server API.
public final class HealthGRPCService: Grpc_Health_V1_Health.SimpleServiceProtocol, Sendable {
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

    public func check(
        request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext
    ) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard Self.serviceNames.contains(request.service) else {
            throw RPCError(code: .notFound, message: "unknown service \(request.service)")
        }
        return .with { $0.status = status }
    }

    /// Sends the status now and again whenever it changes, until the caller goes away or the
    /// server shuts down (after sending NOT_SERVING).
    public func watch(
        request: Grpc_Health_V1_HealthCheckRequest, response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
        context: ServerContext
    ) async throws {
        guard Self.serviceNames.contains(request.service) else {
            try await response.write(.with { $0.status = .serviceUnknown })
            // The reference server keeps the stream open in case the service appears; ours never does.
            while !context.cancellation.isCancelled, !shuttingDown.load(ordering: .relaxed) {
                try await Task.sleep(for: watchInterval)
            }
            return
        }
        var sent: Grpc_Health_V1_HealthCheckResponse.ServingStatus?
        while !context.cancellation.isCancelled {
            let now = status
            if now != sent {
                try await response.write(.with { $0.status = now })
                sent = now
            }
            if shuttingDown.load(ordering: .relaxed) { return }
            try await Task.sleep(for: watchInterval)
        }
    }
}
