import ArbiterPolicy
import CEL
import OrderedCollections

/// Per-request evaluation state: bindings, caches, outputs and errors. Lives on the stack of
/// one `check` call.
struct CheckEvaluation {
    let bindings: EvaluationBindings
    let strict: Bool
    /// Whether errors are recorded; a response that does not report them skips building the
    /// list (strict mode reads the per-condition `errored` flag, not the list).
    let collectErrors: Bool
    /// Where deferred `V` objects come from; nil binds every block eagerly.
    let deferred: DeferredVariablesPool?
    /// Told of expressions that hit an `engine.celLimits` bound (`reportLimits(origin:)`).
    let limitObserver: (any EvaluationLimitObserver)?
    /// Limit errors not yet reported: the caller reports them with the rule it was evaluating.
    /// Nearly always empty.
    private var pendingLimits: [EvaluationError] = []
    /// Distinct errors in the order they happened; a request has a handful at most, so a
    /// linear scan beats hashing two strings per error into a set.
    private(set) var errors: [EvaluationError] = []
    var outputs: [OutputEntry] = []
    /// The `V` object of each parameter block evaluated so far. The first few live inline,
    /// which saves the heap buffer a request used to allocate for them. Created on first
    /// insert: requests that bind deferred `V` objects never fill it, and would otherwise pay
    /// for filling and destroying its inline values.
    private var variableCache: SmallCache<Value>?
    /// Condition outcomes by rule or derived-role id, inline for the usual handful.
    private var conditionCache = SmallCache<ConditionOutcome>(placeholder: ConditionOutcome(satisfied: false, errored: false))
    private var currentParams = -2
    /// A block without variables or constants is current but the bindings still show another
    /// block's `V` and `C`; they are switched to the empty objects only before an expression
    /// that reads them whole (`CompiledExpression.readsWholeParams`), which most never do.
    private var emptyPending = false

    init(bindings: EvaluationBindings, strict: Bool, collectErrors: Bool = true, deferred: DeferredVariablesPool? = nil,
         limitObserver: (any EvaluationLimitObserver)? = nil) {
        self.limitObserver = limitObserver
        self.bindings = bindings
        self.strict = strict
        self.collectErrors = collectErrors
        self.deferred = deferred
    }

    /// The result of a condition: errors count as false and are remembered for strict mode.
    struct ConditionOutcome {
        var satisfied: Bool
        var errored: Bool
    }

    /// Points `V` and `C` at a parameter block, evaluating its variables once per request.
    /// Inlined so the usual repeat of the bound block (most rows of a policy) costs a compare
    /// instead of a call.
    @inline(__always)
    mutating func use(_ params: CompiledParams) {
        guard params.id != currentParams || params.id < 0 else { return }
        bind(params)
    }

    private mutating func bind(_ params: CompiledParams) {
        currentParams = params.id
        // Blocks without variables or constants look the same from CEL: they share the empty
        // objects, bound when first needed.
        if params.isEmpty {
            emptyPending = bindings.boundParams != -1
            return
        }
        emptyPending = false
        // Without an error list to fill, variables need only be evaluated when read. The
        // deferred `V` of a block is one object per thread, so a block bound at the end of the
        // previous request is still bound.
        if !collectErrors && params.deferrable && params.id >= 0, let deferred {
            guard bindings.boundParams != params.id else { return }
            bindings.constants = params.constants
            bindings.variables = deferred.value(for: params)
            bindings.boundParams = params.id
            return
        }
        bindings.constants = params.constants
        if params.id >= 0, let cached = variableCache?.value(for: params.id) {
            bindings.variables = cached
            return
        }
        // The values go straight into one presized dictionary, wrapped as the `V` object only
        // before a variable that reads `V` and once at the end: a block of independent variables
        // builds one map instead of regrowing it and rewrapping it per variable, and no
        // intermediate list of pairs is allocated.
        var values = OrderedDictionary<MapKey, Value>(minimumCapacity: params.variables.count)
        var bound = false
        bindings.variables = EvaluationBindings.emptyVariables
        for variable in params.variables {
            if variable.readsVariables && !bound {
                bindings.variables = .object(NamedValues(MapValue(values)))
                bound = true
            }
            let result = variable.expression.program.evaluate(bindings)
            if case let .error(e) = result {
                record(variable.expression, e)
                continue
            }
            values[.string(variable.name)] = result
            bound = false
        }
        if !bound { bindings.variables = .object(NamedValues(MapValue(values))) }
        if params.id >= 0 {
            if variableCache == nil { variableCache = SmallCache(placeholder: .null) }
            variableCache!.insert(bindings.variables, for: params.id)
        }
    }

    /// The errors in output order, sorted in place.
    mutating func sortedErrors() -> [EvaluationError] {
        if errors.count > 1 { errors.sort() }
        return errors
    }

    /// Forgets which parameter block is bound (the bindings were changed elsewhere).
    mutating func invalidateParams() { currentParams = -2 }

    /// Binds the empty `V` and `C` for `expression` if its block has none and it reads them whole.
    @inline(__always)
    private mutating func prepare(_ expression: CompiledExpression) {
        guard emptyPending && expression.readsWholeParams else { return }
        bindings.variables = EvaluationBindings.emptyParams
        bindings.constants = EvaluationBindings.emptyParams
        bindings.boundParams = -1
        emptyPending = false
    }

    mutating func record(_ expression: CompiledExpression, _ error: EvalError) {
        if limitObserver != nil && error.isLimitExceeded { noteLimit(expression, error.message) }
        guard collectErrors else { return }
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
            prepare(expr)
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
        if let hit = conditionCache.value(for: id) { return hit }
        use(params)
        let outcome = evaluate(condition)
        conditionCache.insert(outcome, for: id)
        return outcome
    }

    /// Evaluates an output expression into an entry (spec §2.9).
    mutating func emit(_ expression: CompiledExpression, src: String, action: String, params: CompiledParams) {
        use(params)
        prepare(expression)
        let result = expression.program.evaluate(bindings)
        if case let .error(e) = result {
            if limitObserver != nil && e.isLimitExceeded { noteLimit(expression, e.message) }
            outputs.append(OutputEntry(src: src, action: action, value: nil, error: e.message))
        } else {
            outputs.append(OutputEntry(src: src, action: action, value: OutputValue.jsonCompatible(result)))
        }
    }

    // MARK: limit errors

    private mutating func noteLimit(_ expression: CompiledExpression, _ message: String) {
        pendingLimits.append(EvaluationError(expression: expression.source, message: message))
    }

    /// Hands the limit errors since the last call to the observer as errors of `origin` (the
    /// policy key and rule being evaluated, formatted only when there is something to report).
    @inline(__always)
    mutating func reportLimits(origin: @autoclosure () -> String) {
        guard !pendingLimits.isEmpty else { return }
        flushLimits(origin: origin())
    }

    private mutating func flushLimits(origin: String) {
        for error in pendingLimits {
            limitObserver?.limitExceeded(LimitIncident(origin: origin, expression: error.expression, message: error.message))
        }
        pendingLimits.removeAll()
    }
}
