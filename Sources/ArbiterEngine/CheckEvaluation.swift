import ArbiterPolicy
import CEL

/// Per-request evaluation state: bindings, caches, outputs and errors. Lives on the stack of
/// one `check` call.
struct CheckEvaluation {
    let bindings: EvaluationBindings
    let strict: Bool
    /// Distinct errors in the order they happened; a request has a handful at most, so a
    /// linear scan beats hashing two strings per error into a set.
    private(set) var errors: [EvaluationError] = []
    var outputs: [OutputEntry] = []
    private var variableCache: [(id: Int, value: Value)] = []
    private var conditionCache: [(id: Int, outcome: ConditionOutcome)] = []
    private var currentParams = -2
    private var boundEmpty = true

    init(bindings: EvaluationBindings, strict: Bool) {
        self.bindings = bindings
        self.strict = strict
    }

    /// The result of a condition: errors count as false and are remembered for strict mode.
    struct ConditionOutcome {
        var satisfied: Bool
        var errored: Bool
    }

    /// Points `V` and `C` at a parameter block, evaluating its variables once per request.
    mutating func use(_ params: CompiledParams) {
        guard params.id != currentParams || params.id < 0 else { return }
        // Blocks without variables or constants look the same from CEL: no need to rebind.
        if params.isEmpty && boundEmpty {
            currentParams = params.id
            return
        }
        currentParams = params.id
        boundEmpty = params.isEmpty
        bindings.constants = params.constants
        if let cached = variableCache.first(where: { $0.id == params.id }), params.id >= 0 {
            bindings.variables = cached.value
            return
        }
        // The values are collected in one presized list and turned into the `V` object only
        // before a variable that reads `V` and once at the end: a block of independent variables
        // builds one map instead of regrowing it and rewrapping it per variable.
        var values: [(String, Value)] = []
        values.reserveCapacity(params.variables.count)
        var bound = false
        bindings.variables = EvaluationBindings.emptyVariables
        for variable in params.variables {
            if variable.readsVariables && !bound {
                bindings.variables = .object(NamedValues(MapValue(stringKeyed: values)))
                bound = true
            }
            let result = variable.expression.program.evaluate(bindings)
            if case let .error(e) = result {
                record(variable.expression, e)
                continue
            }
            values.append((variable.name, result))
            bound = false
        }
        if !bound { bindings.variables = .object(NamedValues(MapValue(stringKeyed: values))) }
        if params.id >= 0 {
            if variableCache.isEmpty { variableCache.reserveCapacity(4) }
            variableCache.append((params.id, bindings.variables))
        }
    }

    /// The errors in output order, sorted in place.
    mutating func sortedErrors() -> [EvaluationError] {
        if errors.count > 1 { errors.sort() }
        return errors
    }

    /// Forgets which parameter block is bound (the bindings were changed elsewhere).
    mutating func invalidateParams() { currentParams = -2 }

    mutating func record(_ expression: CompiledExpression, _ error: EvalError) {
        let entry = EvaluationError(expression: expression.source, message: error.message)
        guard !errors.contains(entry) else { return }
        // One buffer for the usual few errors instead of regrowing at 1, 2 and 4.
        if errors.isEmpty { errors.reserveCapacity(4) }
        errors.append(entry)
    }

    /// Evaluates a condition tree with the currently bound parameters (spec §2.8).
    mutating func evaluate(_ condition: CompiledCondition?) -> ConditionOutcome {
        guard let condition else { return ConditionOutcome(satisfied: true, errored: false) }
        var errored = false
        let satisfied = evaluate(condition, errored: &errored)
        return ConditionOutcome(satisfied: satisfied, errored: errored)
    }

    private mutating func evaluate(_ condition: CompiledCondition, errored: inout Bool) -> Bool {
        switch condition {
        case let .expression(expr):
            switch expr.program.evaluate(bindings) {
            case let .bool(b): return b
            case let .error(e):
                record(expr, e)
                errored = true
                return false
            default: return false
            }
        case let .all(list):
            for c in list where !evaluate(c, errored: &errored) { return false }
            return true
        case let .any(list):
            for c in list where evaluate(c, errored: &errored) { return true }
            return false
        case let .none(list):
            for c in list where evaluate(c, errored: &errored) { return false }
            return true
        }
    }

    /// A condition outcome cached per request under `id` (rule or derived-role key).
    mutating func cachedOutcome(id: Int, params: CompiledParams, condition: CompiledCondition?) -> ConditionOutcome {
        if condition == nil { return ConditionOutcome(satisfied: true, errored: false) }
        if let hit = conditionCache.first(where: { $0.id == id }) { return hit.outcome }
        use(params)
        let outcome = evaluate(condition)
        // Sized once for the conditions a typical request reaches, instead of regrowing.
        if conditionCache.isEmpty { conditionCache.reserveCapacity(8) }
        conditionCache.append((id, outcome))
        return outcome
    }

    /// Evaluates an output expression into an entry (spec §2.9).
    mutating func emit(_ expression: CompiledExpression, src: String, action: String, params: CompiledParams) {
        use(params)
        let result = expression.program.evaluate(bindings)
        if case let .error(e) = result {
            outputs.append(OutputEntry(src: src, action: action, value: nil, error: e.message))
        } else {
            outputs.append(OutputEntry(src: src, action: action, value: OutputValue.jsonCompatible(result)))
        }
    }
}
