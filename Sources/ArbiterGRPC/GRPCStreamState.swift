import NIOCore
import NIOHPACK

/// One open stream of a gRPC connection, from its request HEADERS until the stream closes
/// (`StreamClosedEvent`). A class so that the message bytes it gathers are appended in place.
final class GRPCStreamState {
    let head: GRPCRequestHead
    /// The request headers, kept only when calls are audited.
    let headers: HPACKHeaders
    var reader: GRPCMessageReader
    /// Bytes the client may still send before a WINDOW_UPDATE (our count of the stream window).
    var window: Int
    /// The status has been sent, or (Watch) the response has begun: later DATA is dropped.
    var answered = false
    /// Watch: what the stream asked about and last sent, and its repeating look.
    var watch: GRPCHealthWatch?

    init(head: GRPCRequestHead, headers: HPACKHeaders, maxMessageSize: Int, window: Int) {
        self.head = head
        self.headers = headers
        reader = GRPCMessageReader(maxMessageSize: maxMessageSize)
        self.window = window
    }
}

/// A Watch stream's state.
struct GRPCHealthWatch {
    /// The service asked about; nil when the name is unknown (SERVICE_UNKNOWN was sent).
    var service: String?
    var sent: Grpc_Health_V1_HealthCheckResponse.ServingStatus
    var task: RepeatedTask?
}
