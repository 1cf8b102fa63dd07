import ArbiterClient
import ArbiterJSON
import ArgumentParser
import CEL

/// `arbiter health`: asks the daemon for its health over the socket; for probes and scripts.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Exit 0 when the daemon answers SERVING or DEGRADED on its socket, 1 otherwise.",
        usage: """
        arbiter health [--socket PATH] [--timeout SECONDS] [--quiet]
                         [--fail-on-reload-error]
        """,
        discussion: """
        Use as a Kubernetes exec probe or in scripts. Prints one summary line, such as \
        SERVING generation=7 policies=42 lastReload=SUCCESS. DEGRADED means decisions are \
        served but hot reload is impaired (a lost watch; the reason is printed). With \
        --fail-on-reload-error it also exits 1 while the last reload failed or the daemon is \
        DEGRADED (the previous policies still serve), for alerts on a broken policy push.
        """
    )

    @Option(name: .long, help: "The daemon's socket.")
    var socket: String = CLIDefaults.socketPath

    @Option(name: .long, help: "Give up after this many seconds.")
    var timeout: Double = 2

    @Flag(name: .long, help: "Print nothing; only the exit code answers.")
    var quiet = false

    @Flag(name: .customLong("fail-on-reload-error"), help: "Also exit 1 when the last reload failed.")
    var failOnReloadError = false

    func run() async throws {
        let health: Value
        do {
            health = try await withTimeout(seconds: timeout) { [socket] in
                let client = try await ArbiterClient.connect(path: socket)
                defer { Task { await client.close() } }
                return try await client.health()
            }
        } catch {
            if !quiet { printError("arbiter health: \(describeDaemonFailure(error, socket: socket))") }
            throw ExitCode(ExitStatus.failure)
        }
        if !quiet { print(HealthCommand.summary(health)) }
        if !HealthCommand.passes(health, failOnReloadError: failOnReloadError) { throw ExitCode(ExitStatus.failure) }
    }

    /// Whether the answer counts as healthy: SERVING, or DEGRADED (decisions are still served
    /// from the policies in service; only hot reload is impaired); with `failOnReloadError`
    /// only SERVING with a last reload that did not fail.
    static func passes(_ health: Value, failOnReloadError: Bool) -> Bool {
        let status = health[member: "status"]?.jsonString
        if failOnReloadError {
            return status == "SERVING" && health[member: "lastReload"]?[member: "outcome"]?.jsonString != "FAILURE"
        }
        return status == "SERVING" || status == "DEGRADED"
    }

    /// One line: status, generation, policy count and the last reload's outcome.
    static func summary(_ health: Value) -> String {
        var parts = [health[member: "status"]?.jsonString ?? "UNKNOWN"]
        if let g = health[member: "generation"]?.numberDescription { parts.append("generation=\(g)") }
        if let n = health[member: "policyCount"]?.numberDescription { parts.append("policies=\(n)") }
        if let last = health[member: "lastReload"], let outcome = last[member: "outcome"]?.jsonString {
            parts.append("lastReload=\(outcome)")
        }
        if let reason = health[member: "degradedReason"]?.jsonString { parts.append("reason=\(reason)") }
        return parts.joined(separator: " ")
    }
}
