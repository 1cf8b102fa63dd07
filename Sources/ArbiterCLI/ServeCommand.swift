import ArbiterGRPC
import ArbiterServer
import ArgumentParser
import Logging

/// `arbiter serve`: the per-node daemon.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve decisions on a Unix socket from a directory of Cerbos policies.",
        discussion: """
        Flags override the configuration file; with neither, the documented defaults apply
        (policies in /etc/arbiter/policies, socket /run/arbiter/arbiter.sock). Policies are
        reloaded on change and on SIGHUP; a policy set that does not compile never replaces
        the one serving. See docs/operations.md.
        """
    )

    @Option(name: .long, help: "YAML configuration file.") var config: String?
    @Option(name: .long, help: "Policy directory (storage.disk.directory).") var policies: String?
    @Option(name: .long, help: "Socket path (server.socket.path).") var socket: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level: unknown level '\(logLevel)'")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "arbiter")
        let configuration: ServerConfiguration
        do {
            configuration = try ServerConfiguration.resolve(configFile: config, policyDirectory: policies, socketPath: socket)
        } catch {
            printError("arbiter serve: \(error)")
            throw ExitCode(2)
        }
        let daemon = ArbiterDaemon(
            configuration: configuration,
            identity: ServerIdentity(version: ArbiterVersion.string, build: ArbiterVersion.build),
            decisions: EngineDecisionService(), logger: logger, frontEnds: [GRPCFrontEnd.factory()],
            compile: EngineCompilation.compiler(configuration: configuration.engineConfiguration))
        do {
            try await daemon.run()
        } catch {
            printError("arbiter serve: \(error)")
            throw ExitCode(1)
        }
    }
}
