import ArbiterServer
import CoreMetrics
import Prometheus
import ServiceLifecycle
#if OTLP
import OTel
import Tracing
#endif

/// The backends `arbiter serve` picks for what the libraries record through swift-metrics and
/// swift-distributed-tracing: the one place a backend is chosen.
extension ServeCommand {
    /// swift-prometheus, bootstrapped for every library that records through swift-metrics; its
    /// registry's text is served with the daemon's own lock-free histograms.
    static func bootstrapMetrics() -> ServerMetrics {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        MetricsSystem.bootstrap(factory)
        return ServerMetrics(factory: factory, backendText: { registry.emit(into: &$0) })
    }

    /// The OTLP exporter for `tracing.exporter: otlp` (swift-otel, sampled per trace at
    /// `tracing.sampleProbability`, honouring a sampled parent), and its service, which the
    /// daemon runs and flushes at shutdown; nil when no exporter is configured. Built only with
    /// the `OTLP` trait: without it the configuration refuses the key, so this is never asked.
    static func bootstrapTracing(_ configuration: TracingConfiguration) throws -> (tracer: ServerTracing, exporter: any Service)? {
        guard configuration.exporter == .otlp else { return nil }
        #if OTLP
        var otel = OTel.Configuration.default
        otel.serviceName = configuration.serviceName
        otel.metrics.enabled = false
        otel.logs.enabled = false
        otel.traces.sampler = .parentBasedTraceIDRatio(ratio: configuration.sampleProbability) ?? .parentBasedAlwaysOff
        // OTLP over gRPC, as Cerbos exports (a collector's port 4317); OTEL_EXPORTER_OTLP_TRACES_PROTOCOL
        // and the other OTEL_* variables still override, as swift-otel applies them last.
        otel.traces.otlpExporter.protocol = .grpc
        if let endpoint = configuration.collectorEndpoint { otel.traces.otlpExporter.endpoint = Self.otlpURL(endpoint) }
        let backend = try OTel.makeTracingBackend(configuration: otel)
        InstrumentationSystem.bootstrap(backend.factory)
        return (ServerTracing(tracer: backend.factory), backend.service)
        #else
        return nil
        #endif
    }

    /// Cerbos's `collectorEndpoint` is a gRPC target, `host:port`; swift-otel wants a URL, so a
    /// value without a scheme gets `http://` (plaintext; write `https://` for TLS).
    static func otlpURL(_ endpoint: String) -> String {
        endpoint.contains("://") ? endpoint : "http://" + endpoint
    }
}
