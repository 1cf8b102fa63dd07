#if canImport(Glibc)
import Glibc
#endif
import ArbiterEngine
import ArbiterGRPC
import ArbiterPolicy
import ArbiterServer
import CEL
import GRPCCore
import GRPCTestTransport
import Logging
import NIOPosix
import SwiftProtobuf
import Testing

/// A policy set small enough to read in the test: `document` allows `view` to everyone with the
/// `user` role, `edit` to the owner (`R.attr.owner == P.id`), and emits an output on `view`.
enum TestPolicies {
    static let document = """
    apiVersion: api.cerbos.dev/v1
    resourcePolicy:
      resource: document
      version: default
      rules:
        - actions: ["view"]
          effect: EFFECT_ALLOW
          roles: ["user"]
          output:
            when:
              ruleActivated: "R.attr.tags"
        - actions: ["edit"]
          effect: EFFECT_ALLOW
          roles: ["user"]
          condition:
            match:
              expr: R.attr.owner == P.id
    """

    /// Compiles `files` (name → YAML) written into a fresh directory.
    static func engine(_ files: [String: String] = ["document.yaml": document],
                       configuration: EngineConfiguration = EngineConfiguration()) throws -> Engine {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for (name, text) in files { try dir.write(name, text) }
        let load = PolicyLoader.load(directory: dir.path)
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(load)
        guard let set = compiled.policySet, compiled.diagnostics.isEmpty else {
            throw TestFailure("test policies do not compile: \(compiled.diagnostics)")
        }
        return Engine(policySet: set, configuration: configuration)
    }

    /// A store holding `engine`, as the daemon's watcher would publish it.
    static func store(_ engine: Engine?) -> PolicyStore<Engine> {
        let store = PolicyStore<Engine>()
        if let engine {
            _ = store.publish(engine, policyCount: 1, record: ReloadRecord(time: Timestamp(seconds: 0), outcome: .success,
                                                                        diagnostics: [], durationMilliseconds: 0, trigger: "test"))
        }
        return store
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A directory under /tmp removed by `remove()`; short, so socket paths fit in 108 bytes.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/arbgrpc.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
        path = String(cString: made)
    }

    func write(_ name: String, _ text: String) throws {
        guard let f = fopen(path + "/" + name, "wb") else { throw TestFailure("cannot write \(name)") }
        defer { fclose(f) }
        let bytes = Array(text.utf8)
        guard fwrite(bytes, 1, bytes.count, f) == bytes.count else { throw TestFailure("short write to \(name)") }
    }

    func remove() { _ = system("rm -rf '\(path)'") }
}

/// A gRPC server of the front end on a Unix socket in a temporary directory, for one test.
struct LiveServer {
    let socketPath: String
    let store: PolicyStore<Engine>
    let service: GRPCServerService

    static let identity = ServerIdentity(version: "9.8.7", build: "test-build")

    /// Runs `body` against a server deciding with `engine` (none: no snapshot yet), then stops it.
    static func with<R: Sendable>(
        engine: Engine?, limits: GRPCServerLimits = GRPCServerLimits(), peerPolicy: PeerPolicy = PeerPolicy(),
        decisions: EngineDecisionService = EngineDecisionService(), recorder: DecisionRecorder? = nil,
        _ body: @Sendable (LiveServer) async throws -> R
    ) async throws -> R {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/grpc.sock"
        let logger = Logger(label: "arbiter.grpc.test")
        let socket = try ListeningSocket.bind(path: path, mode: 0o600, group: nil, logger: logger)
        let store = TestPolicies.store(engine)
        let service = GRPCServerService(socket: socket, store: store, identity: identity, decisions: decisions,
                                        recorder: recorder, limits: limits, peerPolicy: peerPolicy, logger: logger)
        let server = LiveServer(socketPath: path, store: store, service: service)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            // Started on the event loops the server's tasks prefer anyway: other suites of this
            // process hold Swift concurrency's few cooperative threads for seconds at a time
            // (CPU-bound parser tests), and a server whose first job waited behind them would
            // not accept the client's connection before the client gave up waiting for SETTINGS.
            group.addTask(executorPreference: EventLoopTaskExecutor(group: MultiThreadedEventLoopGroup.singleton)) {
                try await service.run()
            }
            defer { group.cancelAll() }
            return try await body(server)
        }
    }

    /// Runs `body` with grpc-swift's `GRPCClient` connected over the test transport (our own
    /// HTTP/2 client code, written apart from the server's handler).
    func withClient<R: Sendable>(_ body: @Sendable (GRPCClient<UnixSocketClientTransport>) async throws -> R) async throws -> R {
        try await withGRPCClient(transport: UnixSocketClientTransport(socketPath: socketPath)) { client in try await body(client) }
    }
}

/// A small valid CheckResources request.
func checkRequest(principalID: String = "alice", roles: [String] = ["user"], actions: [String] = ["view", "edit"],
                  owner: String = "alice") -> Cerbos_Request_V1_CheckResourcesRequest {
    .with {
        $0.requestID = "req-1"
        $0.principal = .with { p in
            p.id = principalID
            p.roles = roles
        }
        $0.resources = [.with { e in
            e.actions = actions
            e.resource = .with { r in
                r.kind = "document"
                r.id = "doc-1"
                r.attr["owner"] = .with { $0.stringValue = owner }
                r.attr["tags"] = .with { $0.listValue = .with { l in l.values = [.with { $0.stringValue = "a" }] } }
            }
        }]
    }
}
