import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Every command in a fenced `sh` block of README.md and docs/*.md is either run here, against a
/// daemon serving examples/policies, and must succeed, or is on the list of commands this test
/// cannot run with the reason (they need root on a real host, a cluster, or minutes of build).
/// A new command in the docs that is neither fails this test, so the docs cannot drift from the
/// binary unnoticed.
@Suite(.serialized) struct DocCommandTests {
    /// Commands that cannot run inside a test, by their first word(s), each with why.
    static let notRunnable: [(prefix: String, reason: String)] = [
        ("make ", "builds, installs packages or benchmarks for minutes; `make test` itself runs this suite"),
        ("sudo ", "changes the host (packages, /etc, services); the VM test (make vm-test) covers the packaged path"),
        ("systemctl ", "needs systemd as PID 1; covered by make vm-test"),
        ("kubectl ", "needs a Kubernetes cluster; the manifests are validated by PackagingTests"),
    ]

    struct Command: CustomStringConvertible, Sendable {
        var file: String
        var line: Int
        var text: String
        var description: String { "\(file):\(line): \(text)" }
    }

    /// The commands of every `sh` block, continuation lines joined and trailing comments removed.
    static func commands() throws -> [Command] {
        let root = PackagingTests.Repo.root
        var files = ["README.md"]
        let docs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)
        files += docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
        var result: [Command] = []
        for file in files {
            let lines = try PackagingTests.Repo.text(file).components(separatedBy: "\n")
            var inBlock = false
            var pending = ""
            var pendingLine = 0
            for (index, raw) in lines.enumerated() {
                let trimmed = raw.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("```") {
                    inBlock = !inBlock && (trimmed == "```sh" || trimmed == "```bash")
                    continue
                }
                guard inBlock, !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
                if pending.isEmpty { pendingLine = index + 1 }
                if trimmed.hasSuffix("\\") {
                    pending += String(trimmed.dropLast()) + " "
                    continue
                }
                pending += trimmed
                result.append(Command(file: file, line: pendingLine, text: stripComment(pending)))
                pending = ""
            }
        }
        return result
    }

    /// Removes a trailing `  # comment` (two spaces before the `#`, as the docs write them).
    static func stripComment(_ text: String) -> String {
        guard let range = text.range(of: "  #") else { return text }
        return String(text[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
    }

    static func isRunnable(_ text: String) -> Bool {
        let first = text.split(separator: " ").first.map(String.init) ?? ""
        return ["arbiter", ".build/release/arbiter", ".build/debug/arbiter", "echo"].contains(first)
    }

    @Test func everyDocumentedCommand_isRunHere_orListedWithAReason() throws {
        let commands = try Self.commands()
        #expect(commands.count >= 10, "found only \(commands.count) commands; did the block syntax change?")
        for command in commands where !Self.isRunnable(command.text) {
            #expect(Self.notRunnable.contains { command.text.hasPrefix($0.prefix) },
                    "\(command): neither run by DocCommandTests nor listed in its notRunnable with a reason")
        }
    }

    @Test func everyRunnableDocumentedCommand_succeedsAgainstTheExamplePolicies() throws {
        let binary = try PackagingTests.Repo.builtBinary().path
        let scratch = try PackagingTests.ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let policies = scratch.url.appendingPathComponent("policies")
        try FileManager.default.copyItem(at: PackagingTests.Repo.url("examples/policies"), to: policies)
        let socket = scratch.url.appendingPathComponent("arbiter.sock").path
        let bin = scratch.url.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent("arbiter").path, withDestinationPath: binary)

        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: binary)
        daemon.arguments = ["serve", "--policies", policies.path, "--socket", socket, "--log-level", "warning"]
        daemon.environment = ProcessInfo.processInfo.environment.filter {
            !PackagingTests.Shell.serviceManagerVariables.contains($0.key)
        }
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer {
            if daemon.isRunning { kill(daemon.processIdentifier, SIGTERM) }
            daemon.waitUntilExit()
        }
        var ready = false
        for _ in 0..<300 where !ready {
            ready = try PackagingTests.Shell.run(binary, ["health", "--socket", socket]).status == 0
            if !ready { usleep(100_000) }
        }
        try #require(ready, "the daemon serving examples/policies never became healthy")

        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        for command in try Self.commands() where Self.isRunnable(command.text) {
            // The docs' paths, pointed at this test's daemon, policies and binary.
            let script = command.text
                .replacingOccurrences(of: ".build/release/arbiter", with: binary)
                .replacingOccurrences(of: ".build/debug/arbiter", with: binary)
                .replacingOccurrences(of: "/run/arbiter/arbiter.sock", with: socket)
                .replacingOccurrences(of: ".run/arbiter.sock", with: socket)
                .replacingOccurrences(of: "/etc/arbiter/policies", with: policies.path)
                .replacingOccurrences(of: " examples/policies", with: " " + policies.path)
            // Without --socket the commands use the packaged default path, which is this daemon's here.
            let withSocket = script.contains("--socket") || !script.hasPrefix("arbiter health")
                ? script : script.replacingOccurrences(of: "arbiter health", with: "arbiter health --socket \(socket)")
            let result = try PackagingTests.Shell.run("/bin/bash", ["-c", withSocket], environment: environment)
            #expect(result.status == 0, "\(command)\n  ran: \(withSocket)\n  \(result)")
        }
    }
}
