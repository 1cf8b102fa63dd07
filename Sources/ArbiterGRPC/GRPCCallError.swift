import GRPCCore

/// A call's failure as the client sees it: a status code and its message, answered in the
/// trailers (`grpc-status`, `grpc-message`), with the HTTP status grpc-go uses for requests that
/// are not gRPC calls at all (405, 415, 400), 200 otherwise.
struct GRPCCallError: Error, Equatable, Sendable {
    var code: RPCError.Code
    var message: String
    var httpStatus: Int

    init(_ code: RPCError.Code, _ message: String, httpStatus: Int = 200) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
    }

    /// The status a decision's error becomes: `RPCError`s as thrown (CerbosGRPCService maps
    /// request errors to them), anything else INTERNAL naming it.
    init(_ error: any Error) {
        if let rpc = error as? RPCError {
            self.init(rpc.code, rpc.message)
        } else if let call = error as? GRPCCallError {
            self = call
        } else {
            self.init(.internalError, "the call failed: \(error)")
        }
    }
}
