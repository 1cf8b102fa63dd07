/// A planned CEL expression, ready to evaluate any number of times, concurrently.
public struct Program: Sendable {
    let root: Interpretable
    let localCount: Int
    /// The variable layout activations for this program must follow.
    public let layout: VariableLayout
    /// The bounds every evaluation of this program runs under (its environment's).
    public let limits: EvaluationLimits

    init(root: Interpretable, localCount: Int, layout: VariableLayout, limits: EvaluationLimits) {
        self.root = root; self.localCount = localCount; self.layout = layout; self.limits = limits
    }

    /// Evaluates with a prepared activation. Errors are returned as `.error` values.
    @inlinable public func evaluate(_ activation: Activation) -> Value {
        if activation.layout === layout { return withUnsafePointer(to: activation) { run($0) } }
        return evaluateAdapted(activation)
    }

    /// Evaluates with the prepared activation at `activation`, read in place. For hosts that
    /// keep the activation in a class property: passing it by value copies it first (three
    /// retains and releases per evaluation), passing its address does not.
    @inlinable public func evaluate(activationAt activation: UnsafePointer<Activation>) -> Value {
        if activation.pointee.layout === layout { return run(activation) }
        return evaluateAdapted(activation.pointee)
    }

    /// Evaluates like `evaluate(activationAt:)` under one host request's budget as well: the
    /// evaluation may spend the lesser of its cost limit and `requestBudget`, and what it
    /// spent is taken off `requestBudget` (which stays at or below zero once spent).
    @inlinable public func evaluate(activationAt activation: UnsafePointer<Activation>, requestBudget: inout Int) -> Value {
        if activation.pointee.layout === layout { return run(activation, requestBudget: &requestBudget) }
        var adapted = adaptedActivation(activation.pointee)
        return withUnsafeMutablePointer(to: &adapted) { run(UnsafePointer($0), requestBudget: &requestBudget) }
    }

    /// Evaluates with an activation from another layout: its values re-slotted by name.
    @usableFromInline func evaluateAdapted(_ activation: Activation) -> Value {
        withUnsafePointer(to: adaptedActivation(activation)) { run($0) }
    }

    /// `activation`'s values re-slotted by name into this program's layout.
    @usableFromInline func adaptedActivation(_ activation: Activation) -> Activation {
        var adapted = Activation(layout: layout)
        for (i, name) in activation.layout.names.enumerated() where activation[name] != nil {
            adapted[name] = activation.slots[i]
        }
        for (k, v) in activation.extra { adapted[k] = v }
        return adapted
    }

    /// Evaluates with variables given by name.
    public func evaluate(_ bindings: [String: Value] = [:]) -> Value {
        withUnsafePointer(to: Activation(layout: layout, bindings: bindings)) { run($0) }
    }

    @usableFromInline func run(_ activation: UnsafePointer<Activation>) -> Value {
        // The evaluation runs inside the scope of the slot buffer, so the slot pointer never
        // outlives it (invariant 1 of `FastPaths`). The closures capture the root unretained and
        // the count, not `self`: capturing `self` retained and released the root and the layout
        // at every evaluation.
        let root = Unmanaged.passUnretained(self.root), localCount = self.localCount, limits = self.limits
        return activation.pointee.slots.withUnsafeBufferPointer { slots in
            Frame.with(activation, slots: slots, localCount: localCount, limits: limits) { frame in
                root._withUnsafeGuaranteedRef { $0.eval(&frame) }
            }
        }
    }

    /// `run(_:)` under a host request's budget (`evaluate(activationAt:requestBudget:)`).
    @usableFromInline func run(_ activation: UnsafePointer<Activation>, requestBudget: inout Int) -> Value {
        let root = Unmanaged.passUnretained(self.root), localCount = self.localCount, limits = self.limits
        let remaining = requestBudget
        var spent = 0
        let result = activation.pointee.slots.withUnsafeBufferPointer { slots in
            Frame.with(activation, slots: slots, localCount: localCount, limits: limits,
                       requestRemaining: remaining) { frame in
                let value = root._withUnsafeGuaranteedRef { $0.eval(&frame) }
                spent = frame.budget.spent
                return value
            }
        }
        // Once the request budget is spent it stays so, however little an evaluation spent.
        requestBudget = requestBudget > spent ? requestBudget - spent : min(requestBudget, 0)
        return result
    }

    /// The result when the whole expression folded to a constant at plan time.
    public var constantResult: Value? { root.constantValue }
}
