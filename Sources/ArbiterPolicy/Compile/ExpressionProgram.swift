import CEL

/// A compiled expression the engine can run against one request's bindings.
///
/// The production implementation wraps a CEL program; keeping the engine behind this protocol
/// lets the rule-table logic be built and tested independently of the interpreter.
public protocol ExpressionProgram: Sendable {
    /// Evaluates the expression. Runtime errors come back as `.error` values, never as throws.
    func evaluate(_ bindings: EvaluationBindings) -> Value
    /// The checked expression tree, for partial evaluation (PlanResources); nil when the
    /// program has none (such an expression plans as an error, which makes its condition false).
    var expr: Expr? { get }
}

extension ExpressionProgram {
    public var expr: Expr? { nil }
}

/// An expression with the source text Cerbos reports in `evaluationErrors`.
/// A class: rules, conditions and variables hand it around on every evaluation, and copying a
/// reference is one retain where the struct's string and program existential cost a value-witness
/// copy and several retains.
public final class CompiledExpression: Sendable {
    /// The expression as written in the policy.
    public let source: String
    /// The runnable form.
    public let program: any ExpressionProgram
    /// Whether the expression may read the whole `V`/`variables` or `C`/`constants` object.
    /// Otherwise it reads them only as `V.<name>`/`C.<name>`, names the compiler checked against
    /// its policy's block, so an expression of a block without any needs neither bound.
    public let readsWholeParams: Bool

    /// Pairs a program with its original text.
    public init(source: String, program: any ExpressionProgram, readsWholeParams: Bool = true) {
        self.source = source
        self.program = program
        self.readsWholeParams = readsWholeParams
    }
}

/// A `match:` tree of compiled expressions (spec §1.7).
public indirect enum CompiledCondition: Sendable {
    /// A single CEL expression; a non-boolean result counts as false.
    case expression(CompiledExpression)
    /// True when every member is true; short-circuits on the first false.
    case all([CompiledCondition])
    /// True when some member is true; short-circuits on the first true.
    case any([CompiledCondition])
    /// True when no member is true.
    case none([CompiledCondition])

    /// Every expression in the tree, depth first.
    public var expressions: [CompiledExpression] {
        switch self {
        case let .expression(e): return [e]
        case let .all(list), let .any(list), let .none(list): return list.flatMap(\.expressions)
        }
    }
}
