import CEL

/// The production `ExpressionCompiler`: Cerbos's identifiers (§3.1) declared in a CEL
/// environment with the standard library plus any host libraries (the Cerbos functions).
public struct CELExpressionCompiler: ExpressionCompiler {
    /// The environment every policy expression is compiled in.
    public let environment: Environment

    /// Creates a compiler whose environment adds what Cerbos enables (the cel-go extension
    /// libraries with the literal validators, `CELExtensions.cerbos`, and Cerbos's own functions,
    /// `CerbosLibrary`) and `libraries` to the standard library; with `checking` (Cerbos's
    /// behaviour) expressions are type-checked, so unknown functions and identifiers are compile errors.
    /// Programs evaluate under `limits` (`engine.celLimits`).
    public init(libraries: [any Library] = [], checking: Bool = true, limits: EvaluationLimits = .default) {
        environment = Environment(libraries: CELExtensions.cerbos + [CerbosLibrary()] + libraries,
                                  variables: EvaluationBindings.variableNames, checking: checking).with(limits: limits)
    }

    public var layout: VariableLayout { environment.layout }

    public func compile(_ source: String) -> ExpressionCompileResult {
        let result = environment.compile(source)
        guard let program = result.program, let expr = result.expr, result.issues.isEmpty else {
            let issues = result.issues.map { (message: $0.message, offset: $0.offset) }
            return .failure(issues.isEmpty ? [("invalid expression", 0)] : issues)
        }
        var references = ExpressionReferences()
        Self.collectReferences(expr, into: &references)
        return .success(CELProgram(program: program, expr: expr), references: references)
    }

    /// Finds `V.x`, `variables.x`, `C.x` and `constants.x` selections.
    static func collectReferences(_ expr: Expr, into refs: inout ExpressionReferences) {
        switch expr.kind {
        case .constant:
            break
        case let .ident(name):
            if name == "V" || name == "variables" || name == "C" || name == "constants" { refs.usesWholeVariables = true }
            if name == "runtime" { refs.usesRuntime = true }
        case let .select(operand, field, _):
            if case let .ident(name) = operand.kind {
                if name == "V" || name == "variables" { refs.variables.insert(field); return }
                if name == "C" || name == "constants" { refs.constants.insert(field); return }
            }
            collectReferences(operand, into: &refs)
        case let .call(target, _, args):
            if let target { collectReferences(target, into: &refs) }
            for a in args { collectReferences(a, into: &refs) }
        case let .list(elements, _):
            for e in elements { collectReferences(e, into: &refs) }
        case let .map(entries):
            for e in entries { collectReferences(e.key, into: &refs); collectReferences(e.value, into: &refs) }
        case let .structure(_, fields):
            for f in fields { collectReferences(f.value, into: &refs) }
        case let .comprehension(c):
            for e in [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result] { collectReferences(e, into: &refs) }
        }
    }
}

/// A CEL program run against the request's activation.
struct CELProgram: ExpressionProgram {
    let program: Program
    let expr: Expr?

    func evaluate(_ bindings: EvaluationBindings) -> Value {
        bindings.evaluate(program)
    }
}
