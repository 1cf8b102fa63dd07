import ArbiterClient
import ArgumentParser
import CEL

/// `arbiter health`: asks the daemon for its health over the socket; for probes and scripts.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Exit 0 when the daemon answers SERVING (or DEGRADED: serving, hot reload impaired) on its socket, 1 otherwise.",
        discussion: "Use as a Kubernetes exec probe or in scripts. Prints one summary line."
    )

    @Option(name: .long, help: "The daemon's socket.")
    var socket: String = CLIDefaults.socketPath

    @Option(name: .long, help: "Give up after this many seconds.")
    var timeout: Double = 2

    @Flag(name: .long, help: "Print nothing; only the exit code answers.")
    var quiet = false

    func run() async throws {
        do {
            let health = try await withTimeout(seconds: timeout) { [socket] in
                let client = try await ArbiterClient.connect(path: socket)
                defer { Task { await client.close() } }
                return try await client.health()
            }
            let status = health.field("status")?.stringValue ?? "UNKNOWN"
            if !quiet { print(HealthCommand.summary(health)) }
            // DEGRADED still answers decisions from its policies; only hot reload is impaired.
            if status != "SERVING" && status != "DEGRADED" { throw ExitCode(1) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            if !quiet { printError("arbiter health: cannot reach \(socket): \(error)") }
            throw ExitCode(1)
        }
    }

    /// One line: status, generation, policy count and the last reload's outcome.
    static func summary(_ health: Value) -> String {
        var parts = [health.field("status")?.stringValue ?? "UNKNOWN"]
        if let g = health.field("generation")?.numberDescription { parts.append("generation=\(g)") }
        if let n = health.field("policyCount")?.numberDescription { parts.append("policies=\(n)") }
        if let last = health.field("lastReload"), let outcome = last.field("outcome")?.stringValue {
            parts.append("lastReload=\(outcome)")
        }
        if let reason = health.field("degradedReason")?.stringValue { parts.append("reason=\(reason)") }
        return parts.joined(separator: " ")
    }
}
