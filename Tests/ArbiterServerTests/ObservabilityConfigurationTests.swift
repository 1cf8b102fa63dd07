import ArbiterServer
import Testing

/// The metrics and tracing keys decode with Cerbos's names; bad values are errors naming the key.
@Suite struct ObservabilityConfigurationTests {
    func decode(_ yaml: String) throws -> ServerConfiguration {
        try ServerConfiguration.decode(yaml: Array(yaml.utf8), file: "arbiter.yaml")
    }

    @Test func metricsAndTracingKeys_areDecoded() throws {
        let c = try decode("""
        server:
          metricsEnabled: false
          metricsListenAddr: "unix:/run/arbiter/metrics.sock"
        tracing:
          sampleProbability: 0.25
          serviceName: node-pdp
          otlp:
            collectorEndpoint: "localhost:4317"

        """)
        #expect(c.metricsEnabled == false)
        #expect(c.metricsListenAddress == "unix:/run/arbiter/metrics.sock")
        #expect(c.tracing.sampleProbability == 0.25 && c.tracing.serviceName == "node-pdp")
        #expect(c.tracing.collectorEndpoint == "localhost:4317" && c.tracing.exporter == nil)
    }

    @Test func defaults_serveMetricsOnTheHTTPListenerOnly_andTraceNothing() throws {
        let c = ServerConfiguration()
        #expect(c.metricsEnabled && c.metricsListenAddress == nil && c.tracing.exporter == nil)
    }

    @Test func loopbackMetricsAddress_isAccepted() throws {
        #expect(try decode("server:\n  metricsListenAddr: \"127.0.0.1:3594\"\n").metricsListenAddress == "127.0.0.1:3594")
    }

    @Test(arguments: [
        ("server:\n  metricsListenAddr: \"10.0.0.1:9090\"\n", "server.metricsListenAddr", "not local"),
        ("server:\n  metricsListenAddr: \"unix:relative.sock\"\n", "server.metricsListenAddr", "must be absolute"),
        ("server:\n  metricsListenAddr: \"localhost\"\n", "server.metricsListenAddr", "no port"),
        ("server:\n  metricsListenAddr: [a]\n", "server.metricsListenAddr", "must be a string"),
        ("server:\n  metricsEnabled: maybe\n", "server.metricsEnabled", "true or false"),
        ("tracing:\n  sampleProbability: 1.5\n", "tracing.sampleProbability", "between 0 and 1"),
        ("tracing:\n  sampleProbability: often\n", "tracing.sampleProbability", "must be a number"),
        ("tracing:\n  exporter: jaeger\n", "tracing.exporter", "must be otlp"),
        ("tracing:\n  serviceName: \"\"\n", "tracing.serviceName", "must not be empty"),
        ("tracing:\n  zipkin: {}\n", "tracing.zipkin", "unknown key"),
        ("tracing:\n  jaeger:\n    agentEndpoint: \"localhost:6831\"\n", "tracing.jaeger", "does not support"),
        ("tracing:\n  otlp:\n    collectorEndpoint: \"\"\n", "tracing.otlp.collectorEndpoint", "must not be empty"),
        ("tracing:\n  otlp:\n    collectorEndpoint: \"otel-collector\"\n", "tracing.otlp.collectorEndpoint", "no port"),
        ("tracing:\n  otlp:\n    collectorEndpoint: \"otel-collector:43l7\"\n", "tracing.otlp.collectorEndpoint", "a port is a number"),
        ("tracing:\n  otlp:\n    collectorEndpoint: \"localhost:70000\"\n", "tracing.otlp.collectorEndpoint", "from 1 to 65535"),
        ("tracing:\n  otlp:\n    collectorEndpoint: \"grpc://localhost:4317\"\n", "tracing.otlp.collectorEndpoint", "scheme \"grpc\""),
        ("tracing:\n  otlp:\n    collectorEndpoint: \"http://:4317\"\n", "tracing.otlp.collectorEndpoint", "no host"),
        ("tracing:\n  otlp:\n    collectorEndpoint: \"::1:4317\"\n", "tracing.otlp.collectorEndpoint", "in brackets"),
        ("tracing:\n  otlp:\n    collectorEndpoint: \"local host:4317\"\n", "tracing.otlp.collectorEndpoint", "white space"),
        ("tracing:\n  otlp:\n    collectorEndpoint: [a]\n", "tracing.otlp.collectorEndpoint", "must be a string"),
    ])
    func badObservabilitySetting_isAnErrorNamingTheKey(yaml: String, key: String, fragment: String) throws {
        let error = #expect(throws: ConfigurationError.self) { try decode(yaml) }
        let issue = try #require(error?.issues.first)
        #expect(issue.key == key, "\(issue)")
        #expect(issue.message.contains(fragment), "\(issue)")
    }

    /// Without the `OTLP` trait the exporter cannot be configured, and the error says how to
    /// get it; with the trait, `otlp` is accepted.
    @Test func otlpExporter_isAcceptedOnlyWhenBuiltIn() throws {
        let yaml = "tracing:\n  exporter: otlp\n"
        if TracingConfiguration.exporterBuiltIn {
            #expect(try decode(yaml).tracing.exporter == .otlp)
        } else {
            let error = #expect(throws: ConfigurationError.self) { try decode(yaml) }
            let issue = try #require(error?.issues.first)
            #expect(issue.key == "tracing.exporter")
            #expect(issue.message.contains("OTLP package trait"), "\(issue)")
        }
    }

    /// Cerbos's `host:port` gRPC target, bracketed IPv6, and http(s) URLs (port optional) are
    /// all endpoints the exporter can take.
    @Test(arguments: ["localhost:4317", "10.0.0.5:4317", "[::1]:4317", "otel-collector.monitoring.svc:4317",
                      "http://otel-collector:4317", "https://collector.example.com", "https://[2001:db8::1]:4317/"])
    func wellFormedCollectorEndpoint_isAccepted(endpoint: String) throws {
        let c = try decode("tracing:\n  otlp:\n    collectorEndpoint: \"\(endpoint)\"\n")
        #expect(c.tracing.collectorEndpoint == endpoint)
    }

    @Test func collectorEndpointOverride_isValidatedLikeTheFile() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try ServerConfiguration.resolve(configFile: nil, overrides: ["tracing.otlp.collectorEndpoint=localhost"])
        }
        #expect(error?.issues.first?.key == "tracing.otlp.collectorEndpoint")
    }

    @Test func metricsListenAddrOverride_isValidatedLikeTheFile() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try ServerConfiguration.resolve(configFile: nil, overrides: ["server.metricsListenAddr=192.168.1.2:9090"])
        }
        #expect(error?.issues.first?.key == "server.metricsListenAddr")
    }
}
