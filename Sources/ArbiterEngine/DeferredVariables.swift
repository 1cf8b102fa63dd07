import ArbiterPolicy
import CEL
import OrderedCollections

/// `V` of one parameter block, evaluated a variable at a time when an expression first reads it.
///
/// Cerbos evaluates every variable of a policy as soon as one of its rows is reached, which
/// matters only for the evaluation errors a response reports: CEL is pure and `now` is fixed
/// per request, so a variable's value does not depend on when it is computed as long as it reads
/// neither `runtime` nor the whole `V`/`C` object (`CompiledParams.deferrable`). For requests
/// that report no errors the engine binds this object instead, which skips the variables no
/// expression reads and saves the ordered dictionary, map and object box the eager `V` needs
/// per block.
///
/// One instance per thread and block, reused by every request on that thread and emptied when
/// the request ends (`DeferredVariablesPool`).
final class DeferredVariables: @unchecked Sendable { // one thread's, never shared (the pool's)
    enum State {
        case pending
        case evaluating
        case value(Value)
        /// The expression failed: like the eager map, `V` has no such entry.
        case failed
    }

    let params: CompiledParams
    /// The pool's bindings; the pool owns both, and `V` values never outlive a request.
    unowned let bindings: EvaluationBindings
    unowned let pool: DeferredVariablesPool
    @exclusivity(unchecked) private var states: [State] // one thread, see the type
    /// Name to index, for blocks too large for a linear scan.
    private let indexByName: [String: Int]?
    /// Whether some variable was evaluated since the last `clear()`.
    @exclusivity(unchecked) private var touched = false // one thread, see the type

    init(params: CompiledParams, pool: DeferredVariablesPool) {
        self.params = params
        bindings = pool.bindings
        self.pool = pool
        states = Array(repeating: .pending, count: params.variables.count)
        if params.variables.count > 8 {
            var byName: [String: Int] = [:]
            for (i, v) in params.variables.enumerated() { byName[v.name] = i }
            indexByName = byName
        } else {
            indexByName = nil
        }
    }

    /// Forgets the request's values.
    func clear() {
        for i in states.indices { states[i] = .pending }
        touched = false
    }

    private func index(of name: String) -> Int? {
        if let indexByName { return indexByName[name] }
        for (i, v) in params.variables.enumerated() where v.name == name { return i }
        return nil
    }

    /// `V.<name>` as the eager map would answer it: the value, or nil when the variable does not
    /// exist or its expression failed.
    func value(named name: String) -> Value? {
        guard let i = index(of: name) else { return nil }
        return value(at: i)
    }

    private func value(at i: Int) -> Value? {
        switch states[i] {
        case let .value(v): return v
        case .failed, .evaluating: return nil
        case .pending: break
        }
        if !touched {
            touched = true
            pool.noteEvaluated(params.id)
        }
        states[i] = .evaluating
        let result = evaluate(params.variables[i].expression)
        if case .error = result {
            states[i] = .failed
            return nil
        }
        states[i] = .value(result)
        return result
    }

    /// Runs a variable's expression with this block's `V` and `C` bound, as the eager path
    /// evaluated it. They are bound already whenever a read reaches here through `V`: the
    /// expression then reads the same activation as the evaluation it is nested in. A `V` object
    /// carried into another block's expression is evaluated against bindings of its own, since
    /// rebinding the shared ones would write to the activation the outer evaluation is reading.
    private func evaluate(_ expression: CompiledExpression) -> Value {
        if case let .object(o) = bindings.variables, let bound = o as? Object, bound.frame === self {
            return expression.program.evaluate(bindings)
        }
        let own = bindings.rebinding(variables: .object(Object(frame: self)), constants: params.constants)
        let result = expression.program.evaluate(own)
        bindings.requestBudget = own.requestBudget
        return result
    }

    /// The values the eager path would have bound, in its order.
    fileprivate func eagerValues() -> NamedValues {
        var values = OrderedDictionary<MapKey, Value>(minimumCapacity: params.variables.count)
        for (i, variable) in params.variables.enumerated() {
            if let v = value(at: i) { values[.string(variable.name)] = v }
        }
        return NamedValues(MapValue(values))
    }

    /// The `V` object over a deferred block; reads and renders like `NamedValues`.
    struct Object: ObjectValue, CustomStringConvertible {
        let frame: DeferredVariables

        var celType: CELType { CELType("cerbos.Variables") }

        func field(_ name: String) -> Value? {
            frame.value(named: name) ?? .error(EvalError("undefined field '\(name)'"))
        }

        func hasField(_ name: String) -> Bool { frame.value(named: name) != nil }

        func isEqual(to other: any ObjectValue) -> Bool { false }

        /// What an output of the whole `V` renders as: the eager object's rendering.
        var description: String { String(describing: frame.eagerValues()) }
    }
}

/// The deferred `V` objects of one thread, by parameter-block id, each built once.
final class DeferredVariablesPool {
    unowned let bindings: EvaluationBindings
    @exclusivity(unchecked) private var entries: [(frame: DeferredVariables, value: Value)?] = [] // one thread's pool
    /// Blocks in which the current request evaluated a variable, emptied when it ends.
    @exclusivity(unchecked) private var touched: [Int] = [] // one thread's pool

    init(bindings: EvaluationBindings) {
        self.bindings = bindings
    }

    /// The `V` value of `params` (whose id must be set) for the current request.
    func value(for params: CompiledParams) -> Value {
        let id = params.id
        if id >= entries.count { entries.append(contentsOf: repeatElement(nil, count: id + 1 - entries.count)) }
        let entry: (frame: DeferredVariables, value: Value)
        if let existing = entries[id] {
            entry = existing
        } else {
            let frame = DeferredVariables(params: params, pool: self)
            entry = (frame, .object(DeferredVariables.Object(frame: frame)))
            entries[id] = entry
        }
        return entry.value
    }

    func noteEvaluated(_ id: Int) { touched.append(id) }

    /// Ends a request: the blocks it used drop their values, so an idle thread keeps none alive.
    func clear() {
        guard !touched.isEmpty else { return }
        for id in touched { entries[id]?.frame.clear() }
        touched.removeAll(keepingCapacity: true)
    }
}
