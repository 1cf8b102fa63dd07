import ArbiterPolicy
import CEL

/// Compiles policies for `arbiter compile` so the test runner can tell when a policy reads the
/// clock: expressions that call `now()` or `timeSince()` fail with `clockUsedMessage` when they
/// run at `sentinelInstant`. Cerbos reports such tests as ERRORED when they pin no `now`.
public struct ClockWatchingCompiler: ExpressionCompiler {
    /// The compiler doing the real work.
    public let inner: CELExpressionCompiler

    /// The `now` a test without a pinned `now` runs at: 0001-01-01T00:00:00.000000001Z.
    public static let sentinelInstant = Timestamp(seconds: -62_135_596_800, nanos: 1)
    /// The evaluation error a clock-reading expression reports at the sentinel instant.
    public static let clockUsedMessage = "clock read without a pinned now"

    /// Wraps `inner`.
    public init(_ inner: CELExpressionCompiler = CELExpressionCompiler()) {
        self.inner = inner
    }

    public var layout: VariableLayout { inner.layout }

    public func compile(_ source: String) -> ExpressionCompileResult {
        let result = inner.compile(source)
        guard case let .success(program, references) = result,
              let expr = inner.environment.compile(source).expr, Self.readsClock(expr) else { return result }
        return .success(ClockWatchingProgram(inner: program), references: references)
    }

    /// True when the expression calls `now` or `timeSince` anywhere.
    static func readsClock(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .constant, .ident: return false
        case let .select(operand, _, _): return readsClock(operand)
        case let .call(target, function, args):
            if function == "now" || function == "timeSince" { return true }
            return (target.map(readsClock) ?? false) || args.contains(where: readsClock)
        case let .list(elements, _): return elements.contains(where: readsClock)
        case let .map(entries): return entries.contains { readsClock($0.key) || readsClock($0.value) }
        case let .structure(_, fields): return fields.contains { readsClock($0.value) }
        case let .comprehension(c):
            return [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result].contains(where: readsClock)
        }
    }
}

/// A clock-reading program: fails at the sentinel instant, otherwise runs unchanged.
struct ClockWatchingProgram: ExpressionProgram {
    let inner: any ExpressionProgram

    func evaluate(_ bindings: EvaluationBindings) -> Value {
        if bindings.now == ClockWatchingCompiler.sentinelInstant {
            return .error(EvalError(ClockWatchingCompiler.clockUsedMessage))
        }
        return inner.evaluate(bindings)
    }
}
