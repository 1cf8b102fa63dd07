import ArbiterEngine
import GRPCCore

/// How request problems become gRPC statuses, in one place for every method.
enum GRPCStatus {
    /// INVALID_ARGUMENT naming the field, as Cerbos's protovalidate interceptor answers.
    static func invalidArgument(_ error: RequestError) -> RPCError {
        RPCError(code: .invalidArgument, message: error.description)
    }

    /// Runs a decision: request errors (rules, limits, tokens that do not verify) become
    /// INVALID_ARGUMENT; anything else INTERNAL, with its description, since only the caller
    /// would otherwise see it (a bare UNKNOWN would tell them nothing).
    static func mappingErrors<T>(_ body: () throws -> T) throws(RPCError) -> T {
        do {
            return try body()
        } catch let error as RequestError {
            throw invalidArgument(error)
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(code: .internalError, message: "the decision failed: \(error)")
        }
    }

    /// DEADLINE_EXCEEDED once the caller's `grpc-timeout` has passed (`expired`): a handler
    /// that never looks would answer a caller who has gone.
    static func checkDeadline(_ expired: () -> Bool) throws {
        if expired() {
            throw RPCError(code: .deadlineExceeded, message: "the deadline passed before the request was decided")
        }
    }
}
