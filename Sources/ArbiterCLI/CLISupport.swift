import ArbiterClient
import CEL
#if canImport(Glibc)
import Glibc
#endif

/// Defaults shared by the commands that talk to a running daemon.
enum CLIDefaults {
    static let socketPath = "/run/arbiter/arbiter.sock"
}

/// Writes a line to standard error.
func printError(_ message: String) {
    var line = message
    line.append("\n")
    _ = line.withCString { fputs($0, stderr) }
}

/// Whether standard output is a terminal (colour only then).
var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }

struct TimeoutError: Error, CustomStringConvertible {
    var seconds: Double
    var description: String {
        "no answer within \(seconds.displayText) s (the daemon may be overloaded or stopped; see its log)"
    }
}

extension Double {
    /// Integral values without a fraction (`2`, not `2.0`), others as Swift prints them, for display.
    var displayText: String { self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self) }
}

/// What a command that talks to the daemon prints when the call failed: the socket and the
/// reason in words (connection errors already name the socket).
func describeDaemonFailure(_ error: Error, socket: String) -> String {
    switch error {
    case let e as ArbiterClientError:
        if case .cannotConnect = e { return e.description }
        return "\(socket): \(e.description)"
    case let e as TimeoutError:
        return "\(socket): \(e.description)"
    default:
        return "\(socket): \(error)"
    }
}

/// Runs `body`, failing with `TimeoutError` when it takes longer than `seconds`.
func withTimeout<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
            throw TimeoutError(seconds: seconds)
        }
        guard let first = try await group.next() else { throw TimeoutError(seconds: seconds) }
        group.cancelAll()
        return first
    }
}

extension Value {
    /// Integral numbers without a fraction, for display.
    var numberDescription: String? {
        switch self {
        case let .int(i): return String(i)
        case let .uint(u): return String(u)
        case let .double(d): return d.displayText
        default: return nil
        }
    }
}
