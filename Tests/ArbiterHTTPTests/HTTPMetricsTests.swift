#if canImport(Glibc)
import Glibc
#endif
import ArbiterEngine
import ArbiterHTTP
import ArbiterServer
import NIOHTTP1
import Prometheus
import Testing

/// `GET /_cerbos/metrics` on the HTTP listener: a real scrape over a socket after real requests.
@Suite(.serialized) struct HTTPMetricsTests {
    /// The value of the sample line named `name` whose labels include every one of `labels`.
    static func sample(_ text: String, _ name: String, _ labels: [String] = []) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count == 2 else { continue }
            let series = parts[0]
            let bare = series.split(separator: "{", maxSplits: 1).first.map(String.init) ?? ""
            guard bare == name, labels.allSatisfy({ series.contains($0) }) else { continue }
            return Double(parts[1])
        }
        return nil
    }

    @Test func scrape_afterCheckRequests_countsEachRequestByOutcome() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let registry = PrometheusCollectorRegistry()
        let metrics = ServerMetrics(factory: PrometheusMetricsFactory(registry: registry), backendText: { registry.emit(into: &$0) })
        var api = CerbosHTTPAPI(decisions: EngineDecisionService(metrics: metrics.decisions), store: try await conformanceStore(),
                                identity: ServerIdentity(version: "1.2.3", build: "abc123"), logger: testLogger)
        api.metrics = metrics
        let path = dir.path + "/http.sock"
        let socket = try ListeningSocket.bind(path: path, mode: 0o600, group: nil, logger: testLogger)
        try await withHTTPListener(socket, api: api) {
            let client = try RawHTTPClient(unixPath: path)
            let good = "POST /api/check/resources HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(leaveRequestCheck.utf8.count)\r\n\r\n\(leaveRequestCheck)"
            for _ in 0..<5 {
                client.send(good)
                let r = try #require(await client.nextResponse())
                #expect(r.status == 200, "\(r.body)")
                #expect(r.body.contains("\"cerbosCallId\":\""), "\(r.body)")
            }
            // Bodies that fail validation (no resources) count as invalid_argument.
            for i in 0..<3 {
                client.send(checkRequest("p\(i)"))
                let r = try #require(await client.nextResponse())
                #expect(r.status == 400, "\(r.body)")
            }
            client.send("GET /_cerbos/metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            let scrape = try #require(await client.nextResponse())
            #expect(scrape.status == 200)
            #expect(scrape.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true, "\(scrape.headers)")
            let text = scrape.body
            let ok = Self.sample(text, "arbiter_requests_total", [#"method="CheckResources""#, #"outcome="ok""#])
            let invalid = Self.sample(text, "arbiter_requests_total", [#"method="CheckResources""#, #"outcome="invalid_argument""#])
            #expect(ok == 5, "\(text)")
            #expect(invalid == 3, "\(text)")
            #expect(Self.sample(text, "cerbos_dev_engine_check_latency_count") == 8, "\(text)")
            #expect(Self.sample(text, "cerbos_dev_engine_check_latency_bucket", [#"le="+Inf""#]) == 8, "\(text)")
            // The one resource of each valid request: every observation is in the le="1" bucket.
            #expect(Self.sample(text, "cerbos_dev_engine_check_batch_size_bucket", [#"le="1""#]) == 5, "\(text)")
            #expect(Self.sample(text, "cerbos_dev_engine_check_batch_size_sum") == 5, "\(text)")
            #expect((Self.sample(text, "arbiter_open_connections") ?? 0) >= 1, "\(text)")
        }
    }

    @Test func metricsRoute_withMetricsOff_isNotFound() async throws {
        let api = try await conformanceAPI()
        let response = api.send(.GET, "/_cerbos/metrics")
        #expect(response.status == .notFound)
    }
}
