#if canImport(Glibc)
import Glibc
#endif
import ArbiterClient
import ArbiterEngine
import ArbiterServer
import CEL
import Prometheus
import Testing

/// The real daemon serving its metrics on `server.metricsListenAddr` (a Unix socket): a scrape
/// after requests over the JSON-RPC socket counts exactly those requests and the first reload.
///
/// Part of `ArbiterDaemonLiveTests`, whose tests run one at a time (each daemon takes SIGHUP).
extension ArbiterDaemonLiveTests {
    static let metricsPolicy = """
        apiVersion: api.cerbos.dev/v1
        resourcePolicy:
          resource: doc
          version: default
          rules:
            - actions: ["view"]
              effect: EFFECT_ALLOW
              roles: ["user"]
        """

    /// GET `path` over a new connection to the Unix socket at `socketPath`, HTTP/1.0 so the
    /// server closes when done; the whole response text.
    static func httpGet(socketPath: String, path: String) throws -> String {
        let fd = try unixSocket(socketPath, type: CInt(SOCK_STREAM.rawValue), connecting: true, receiveTimeoutSeconds: 20)
        defer { close(fd) }
        let request = Array("GET \(path) HTTP/1.0\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == request.count else {
            throw TestSetupError("short write to \(socketPath)")
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &chunk, chunk.count)
            guard n > 0 else { break }
            response.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: response, as: UTF8.self)
    }

    /// The value of the sample named `name` with all of `labels`.
    static func sample(_ text: String, _ name: String, _ labels: [String] = []) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, parts[0].split(separator: "{").first.map(String.init) == name,
                  labels.allSatisfy({ parts[0].contains($0) }) else { continue }
            return Double(parts[1])
        }
        return nil
    }

    @Test func metricsListenAddr_scrape_countsTheRequestsSent_andTheReload() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let policies = dir.path + "/policies"
        mkdir(policies, 0o755)
        try writeFile(policies + "/doc.yaml", Self.metricsPolicy)
        var config = ServerConfiguration()
        config.policyDirectory = policies
        config.socketPath = dir.path + "/arbiter.sock"
        config.metricsListenAddress = "unix:" + dir.path + "/metrics.sock"
        config.shutdownGracePeriod = .seconds(3)
        let registry = PrometheusCollectorRegistry()
        let metrics = ServerMetrics(factory: PrometheusMetricsFactory(registry: registry), backendText: { registry.emit(into: &$0) })
        let daemon = ArbiterDaemon(configuration: config, identity: ServerIdentity(version: "9.9.9", build: "test"),
                                   decisions: EngineDecisionService(metrics: metrics.decisions), logger: testLogger,
                                   handleTerminationSignals: false, metrics: metrics,
                                   compile: EngineCompilation.compiler(configuration: config.engineConfiguration))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await daemon.run() }
            #expect(await eventually { acceptsConnections(config.socketPath) })
            #expect(await eventually { acceptsConnections(dir.path + "/metrics.sock") })
            let client = try await ArbiterClient.connect(path: config.socketPath)
            let request = try json(#"""
                {"requestId": "r1", "principal": {"id": "alice", "roles": ["user"]},
                 "resources": [{"actions": ["view"], "resource": {"kind": "doc", "id": "d1"}},
                               {"actions": ["view"], "resource": {"kind": "doc", "id": "d2"}}]}
                """#)
            for _ in 0..<4 {
                let answer = try text(try await client.checkResources(request))
                #expect(answer.contains("\"cerbosCallId\":\""), "\(answer)")
            }
            await #expect(throws: (any Error).self) { try await client.checkResources(try json(#"{"principal": {"id": "a"}}"#)) }

            let scrape = try Self.httpGet(socketPath: dir.path + "/metrics.sock", path: "/_cerbos/metrics")
            #expect(scrape.hasPrefix("HTTP/1.0 200"), "\(scrape.prefix(200))")
            #expect(scrape.contains("content-type: text/plain; version=0.0.4"), "\(scrape.prefix(300))")
            #expect(Self.sample(scrape, "arbiter_requests_total", [#"method="CheckResources""#, #"outcome="ok""#]) == 4, "\(scrape)")
            #expect(Self.sample(scrape, "arbiter_requests_total", [#"outcome="invalid_argument""#, #"method="CheckResources""#]) == 1)
            #expect(Self.sample(scrape, "cerbos_dev_engine_check_latency_count") == 5)
            #expect(Self.sample(scrape, "cerbos_dev_engine_check_batch_size_sum") == 8)
            #expect(Self.sample(scrape, "arbiter_reloads_total", [#"result="success""#]) == 1)
            #expect(Self.sample(scrape, "cerbos_dev_compiler_compile_duration_count") == 1)
            #expect(Self.sample(scrape, "arbiter_policy_count") == 1)
            #expect(Self.sample(scrape, "cerbos_dev_index_entry_count") == 1)
            #expect(Self.sample(scrape, "arbiter_snapshot_generation") == 1)
            let notFound = try Self.httpGet(socketPath: dir.path + "/metrics.sock", path: "/api/check/resources")
            #expect(notFound.hasPrefix("HTTP/1.0 404"), "\(notFound)")

            await client.close()
            await daemon.shutdown()
            try await group.waitForAll()
        }
    }
}
