/// The `tracing` section (Cerbos's keys): whether spans are exported, where, and which fraction
/// of requests is sampled. The OTEL_* environment variables of the OTLP exporter apply on top
/// (endpoint, headers, protocol), as with Cerbos.
public struct TracingConfiguration: Sendable, Hashable {
    /// The span exporters `tracing.exporter` names.
    public enum Exporter: String, Sendable, Hashable {
        /// OpenTelemetry's protocol, through swift-otel.
        case otlp
    }

    /// `tracing.exporter`: nil (default) exports nothing and creates no spans.
    public var exporter: Exporter?
    /// `tracing.sampleProbability`: the fraction of requests traced, 0–1. Default 0.1.
    public var sampleProbability: Double = 0.1
    /// `tracing.serviceName`: the `service.name` resource attribute. Default `arbiter`.
    public var serviceName: String = "arbiter"
    /// `tracing.otlp.collectorEndpoint`: where spans go; default the exporter's own
    /// (`OTEL_EXPORTER_OTLP_ENDPOINT`, else `localhost:4317`).
    public var collectorEndpoint: String?

    /// Whether this build carries the OTLP exporter (the `OTLP` package trait).
    public static var exporterBuiltIn: Bool {
        #if OTLP
        return true
        #else
        return false
        #endif
    }

    /// The defaults: no tracing.
    public init() {}
}
