import ArbiterEngine

/// Measuring and tracing the decision methods. Each public method runs its body through
/// `measuredCheck` or `measuredPlan` exactly once, so every request is counted once whichever
/// front end and path it came by; with neither metrics nor tracing configured the body runs
/// bare.
extension EngineDecisionService {
    /// Runs a CheckResources body, which sets `batch` to the number of resources once decoded,
    /// inside a `CheckResources` span, and records its latency, batch size and outcome.
    func measuredCheck<R>(_ body: (inout Int) throws -> R) throws -> R {
        var batch = 0
        guard metrics != nil || tracing != nil else { return try body(&batch) }
        let start = DecisionMetrics.now()
        do {
            let result = try traced("CheckResources") { try body(&batch) }
            metrics?.recordCheck(start: start, batch: batch, outcome: .ok)
            return result
        } catch {
            metrics?.recordCheck(start: start, batch: batch, outcome: DecisionMetrics.outcome(of: error))
            throw error
        }
    }

    /// Runs a PlanResources body inside a `PlanResources` span and records its latency and
    /// outcome.
    func measuredPlan<R>(_ body: () throws -> R) throws -> R {
        guard metrics != nil || tracing != nil else { return try body() }
        let start = DecisionMetrics.now()
        do {
            let result = try traced("PlanResources", body)
            metrics?.recordPlan(start: start, outcome: .ok)
            return result
        } catch {
            metrics?.recordPlan(start: start, outcome: DecisionMetrics.outcome(of: error))
            throw error
        }
    }

    /// Runs `body` in a span named `name` (a child of the current one) when tracing is on.
    @inline(__always)
    func traced<R>(_ name: StaticString, _ body: () throws -> R) rethrows -> R {
        guard let tracing else { return try body() }
        return try tracing.span(name, body)
    }
}
