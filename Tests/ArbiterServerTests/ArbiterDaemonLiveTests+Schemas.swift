#if canImport(Glibc)
import Glibc
#endif
import ArbiterClient
import ArbiterEngine
import ArbiterServer
import CEL
import Testing

/// The real daemon (engine, socket, inotify watcher) with a schema under `_schemas/`: editing the
/// schema changes the validation of the next request, without a restart.
///
/// Part of `ArbiterDaemonLiveTests`, whose tests run one at a time: every daemon installs a
/// SIGHUP handler, and one running beside that suite's SIGHUP test would take its signal.
extension ArbiterDaemonLiveTests {
    static let schemaPolicy = """
        apiVersion: api.cerbos.dev/v1
        resourcePolicy:
          resource: doc
          version: default
          schemas:
            resourceSchema:
              ref: cerbos:///doc.json
          rules:
            - actions: ["view"]
              effect: EFFECT_ALLOW
              roles: ["user"]
        """

    static func schema(maxLength: Int) -> String {
        #"{"type": "object", "properties": {"title": {"type": "string", "maxLength": \#(maxLength)}}}"#
    }

    static let schemaRequest = #"""
        {"requestId": "r1", "principal": {"id": "alice", "roles": ["user"]},
         "resources": [{"actions": ["view"], "resource": {"kind": "doc", "id": "d1", "attr": {"title": "hello"}}}]}
        """#

    @Test func editedSchemaFile_changesValidation_withoutRestart() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let policies = dir.path + "/policies"
        mkdir(policies, 0o755)
        mkdir(policies + "/_schemas", 0o755)
        try writeFile(policies + "/doc.yaml", Self.schemaPolicy)
        try writeFile(policies + "/_schemas/doc.json", Self.schema(maxLength: 10))

        var config = ServerConfiguration()
        config.policyDirectory = policies
        config.socketPath = dir.path + "/arbiter.sock"
        config.reloadDebounce = .milliseconds(50)
        config.reloadMaxDelay = .milliseconds(500)
        config.shutdownGracePeriod = .seconds(3)
        config.schemaEnforcement = .reject
        let daemon = ArbiterDaemon(configuration: config, identity: ServerIdentity(version: "9.9.9", build: "test"),
                                   decisions: EngineDecisionService(), logger: testLogger, handleTerminationSignals: false,
                                   compile: EngineCompilation.compiler(configuration: config.engineConfiguration))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await daemon.run() }
            #expect(await eventually { acceptsConnections(config.socketPath) })
            let client = try await ArbiterClient.connect(path: config.socketPath)

            let before = try text(try await client.checkResources(try json(Self.schemaRequest)))
            #expect(before.contains(#""view":"EFFECT_ALLOW""#), "\(before)")
            #expect(!before.contains("validationErrors"), "\(before)")

            try replaceFile(policies + "/_schemas/doc.json", Self.schema(maxLength: 3), stagingDirectory: dir.path)
            var after = ""
            let rejected = try await eventually {
                after = try text(try await client.checkResources(try json(Self.schemaRequest)))
                return after.contains("validationErrors")
            }
            #expect(rejected, "the schema edit was not picked up: \(after)")
            #expect(after.contains(#""view":"EFFECT_DENY""#), "\(after)")
            #expect(after.contains(#"{"path":"/title","message":"length must be <= 3, but got 5","source":"SOURCE_RESOURCE"}"#), "\(after)")

            // A schema that no longer compiles keeps the last good snapshot serving.
            try replaceFile(policies + "/_schemas/doc.json", #"{"type": 12}"#, stagingDirectory: dir.path)
            #expect(await eventually { daemon.store.current().lastReload?.outcome == .failure })
            let kept = try text(try await client.checkResources(try json(Self.schemaRequest)))
            #expect(kept.contains("length must be <= 3"), "\(kept)")
            #expect(daemon.store.current().lastReload?.diagnostics.joined().contains("doc.yaml") == true)

            await client.close()
            await daemon.shutdown()
            try await group.waitForAll()
        }
    }
}
