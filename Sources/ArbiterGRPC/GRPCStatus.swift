import ArbiterEngine
import GRPCCore

/// How request problems become gRPC statuses, in one place for every method.
enum GRPCStatus {
    /// INVALID_ARGUMENT naming the field, as Cerbos's protovalidate interceptor answers.
    static func invalidArgument(_ error: RequestError) -> RPCError {
        RPCError(code: .invalidArgument, message: error.description)
    }

    /// DEADLINE_EXCEEDED once the caller's `grpc-timeout` has passed: grpc-swift only marks the
    /// RPC cancelled, and a handler that never looks would answer a caller who has gone.
    static func checkDeadline(_ context: ServerContext) throws {
        if context.cancellation.isCancelled {
            throw RPCError(code: .deadlineExceeded, message: "the deadline passed before the request was decided")
        }
    }
}
