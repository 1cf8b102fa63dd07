#if canImport(Glibc)
import Glibc
#endif
import ArbiterEngine
@testable import ArbiterGRPC
@testable import ArbiterServer
import Logging
import Testing

/// `server.grpcListenAddr` and `server.advanced.grpc.*`, and the factory the daemon calls.
struct GRPCConfigurationTests {
    func decode(_ yaml: String) throws -> ServerConfiguration {
        try ServerConfiguration.decode(yaml: Array(yaml.utf8), file: "arbiter.yaml")
    }

    @Test func keys_areRead() throws {
        let c = try decode("server:\n  grpcListenAddr: unix:/run/arbiter/grpc.sock\n  advanced:\n    grpc:\n      maxRecvMsgSizeBytes: 1024\n")
        #expect(c.grpcListenAddress == "unix:/run/arbiter/grpc.sock")
        #expect(c.grpcMaxRecvMessageSize == 1024)
        #expect(ServerConfiguration().grpcListenAddress == nil)
        #expect(ServerConfiguration().grpcMaxRecvMessageSize == 4 << 20)
    }

    @Test(arguments: [
        ("server:\n  grpcListenAddr: unix:relative.sock\n", "server.grpcListenAddr"),
        ("server:\n  grpcListenAddr: example.com:3593\n", "server.grpcListenAddr"),
        ("server:\n  advanced:\n    grpc:\n      maxRecvMsgSizeBytes: 0\n", "server.advanced.grpc.maxRecvMsgSizeBytes"),
    ])
    func badValues_areErrorsNamingTheKey(yaml: String, key: String) throws {
        let error = #expect(throws: ConfigurationError.self) {
            let c = try decode(yaml)
            let issues = c.validate()
            if !issues.isEmpty { throw ConfigurationError(issues) }
        }
        #expect(error?.issues.first?.key == key)
    }

    @Test func factory_isOffUnlessAnAddressIsSet_andBindsTheConfiguredSocket() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var config = ServerConfiguration()
        let logger = Logger(label: "test")
        func context() -> FrontEndContext<EngineDecisionService> {
            FrontEndContext(configuration: config, store: TestPolicies.store(nil), identity: LiveServer.identity,
                            decisions: EngineDecisionService(), logger: logger, activatedSockets: SystemdSockets())
        }
        #expect(try GRPCFrontEnd.makeService(context()) == nil)
        config.grpcListenAddress = "unix:" + dir.path + "/grpc.sock"
        config.socketMode = 0o640
        let service = try #require(try GRPCFrontEnd.makeService(context()))
        var st = stat()
        #expect(stat(dir.path + "/grpc.sock", &st) == 0)
        #expect(st.st_mode & 0o777 == 0o640)
        _ = service
    }
}
