import ArbiterEngine
import ArbiterHTTP
import ArbiterAuxData
import ArbiterGRPC
import ArbiterServer
import ArgumentParser
import Logging
import ServiceLifecycle

/// `arbiter serve`: the per-node daemon.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve decisions on a Unix socket from a directory of Cerbos policies.",
        usage: """
        arbiter serve [--config FILE] [--set KEY=VALUE...] [--policies DIR]
                        [--socket PATH] [--log-level LEVEL]
                        [--log-format text|json]
        """,
        discussion: """
        Flags override the configuration file: --set server.socket.mode=0600 sets any key of \
        the file, as with Cerbos; values in the file may use ${ENV} and ${ENV:default}. With \
        neither file nor flags, the documented defaults apply \
        (policies in /etc/arbiter/policies, socket /run/arbiter/arbiter.sock). Policies are \
        reloaded on change and on SIGHUP; a policy set that does not compile never replaces \
        the one serving. See docs/operations.md.

        Exit status: 0 after a clean shutdown (SIGTERM, SIGINT); 1 when the daemon cannot \
        start (the socket is in use, the first compile failed, ...); 2 when the configuration \
        or a flag is not valid.
        """
    )

    @Option(name: .long, help: "YAML configuration file.") var config: String?
    @Option(name: .customLong("set"), help: "key=value: override one setting of the file (repeatable), as Cerbos's --set.")
    var overrides: [String] = []
    @Option(name: .long, help: "Policy directory (storage.disk.directory).") var policies: String?
    @Option(name: .long, help: "Socket path (server.socket.path).") var socket: String?
    @Option(name: .long, help: "Also serve Cerbos's HTTP API and AuthZEN on unix:/path or host:port (server.httpListenAddr).")
    var http: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (server.log.level).")
    var logLevel: String?
    @Option(name: .customLong("log-format"), help: "text or json (server.log.format).")
    var logFormat: String?

    func run() async throws {
        let configuration: ServerConfiguration
        do {
            var format: ServerConfiguration.LogFormat?
            if let logFormat {
                guard let f = ServerConfiguration.LogFormat(rawValue: logFormat) else {
                    throw ArgumentParser.ValidationError("--log-format: must be text or json, got \"\(logFormat)\"")
                }
                format = f
            }
            configuration = try ServerConfiguration.resolve(configFile: config, overrides: overrides, policyDirectory: policies, socketPath: socket,
                                                           httpListenAddress: http, logLevel: logLevel, logFormat: format)
        } catch let error as ArgumentParser.ValidationError {  // qualified: ArbiterEngine has one too
            throw error
        } catch {
            printError("arbiter serve: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
        // validate() accepted the level, so it is one of Logger.Level's names.
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        let format = configuration.logFormat
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level, format: format) }
        let logger = Logger(label: "arbiter")
        let verifier: AuxDataVerifier
        do {
            verifier = try await AuxDataVerifier(configuration: configuration.auxData)
        } catch {
            printError("arbiter serve: invalid configuration: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
        // CEL evaluations that hit `engine.celLimits` are logged with their policy and rule.
        var engineConfiguration = configuration.engineConfiguration
        engineConfiguration.limitObserver = CELLimitLog(logger: logger)
        let metrics = configuration.metricsEnabled ? Self.bootstrapMetrics() : nil
        let tracing: (tracer: ServerTracing, exporter: any Service)?
        do {
            tracing = try Self.bootstrapTracing(configuration.tracing)
        } catch {
            printError("arbiter serve: tracing: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
        let daemon = ArbiterDaemon(
            configuration: configuration,
            identity: ServerIdentity(version: ArbiterVersion.string, build: ArbiterVersion.build),
            decisions: EngineDecisionService(auxData: verifier, metrics: metrics?.decisions, tracing: tracing?.tracer), logger: logger,
            frontEnds: [HTTPFrontEnd.factory(), GRPCFrontEnd.factory()],
            metrics: metrics, tracing: tracing?.tracer, observability: tracing.map { [$0.exporter] } ?? [],
            compile: EngineCompilation.compiler(configuration: engineConfiguration,
                                                requireTestsPass: configuration.requireTestsPass))
        do {
            try await daemon.run()
        } catch {
            logger.critical("\(error)")
            throw ExitCode(ExitStatus.failure)
        }
    }
}
