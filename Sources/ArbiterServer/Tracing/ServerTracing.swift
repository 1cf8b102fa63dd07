import Tracing

/// The tracer the daemon's spans go to (swift-distributed-tracing): request phases (decode,
/// decide, encode) and reload phases (compile, publish). The executable bootstraps the backend
/// (an OTLP exporter, when built with the `OTLP` trait and configured); a test passes its own
/// recording tracer. Without one the daemon creates no spans at all.
public struct ServerTracing: Sendable {
    /// Where spans go.
    public let tracer: any Tracer

    /// Spans to `tracer`, the bootstrapped one unless given.
    public init(tracer: any Tracer = InstrumentationSystem.tracer) {
        self.tracer = tracer
    }

    /// Runs `body` in a span named `name`, a child of the task's current span; an error thrown
    /// is recorded on the span and rethrown.
    public func span<R>(_ name: StaticString, _ body: () throws -> R) rethrows -> R {
        try Self.span(tracer, name, body)
    }

    /// `span` for async work (reload phases).
    public func span<R>(_ name: StaticString, _ body: () async throws -> R) async rethrows -> R {
        try await Self.span(tracer, name, body)
    }

    // The tracer's concrete type opened, so its own (specialisable) `withSpan` runs.
    private static func span<T: Tracer, R>(_ tracer: T, _ name: StaticString, _ body: () throws -> R) rethrows -> R {
        try tracer.withSpan(name.description, ofKind: .internal) { _ in try body() }
    }

    private static func span<T: Tracer, R>(_ tracer: T, _ name: StaticString, _ body: () async throws -> R) async rethrows -> R {
        try await tracer.withSpan(name.description, ofKind: .internal) { _ in try await body() }
    }
}
