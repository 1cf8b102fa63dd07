/// A planned CEL expression, ready to evaluate any number of times, concurrently.
public struct Program: Sendable {
    let root: Interpretable
    let localCount: Int
    /// The variable layout activations for this program must follow.
    public let layout: VariableLayout

    init(root: Interpretable, localCount: Int, layout: VariableLayout) {
        self.root = root; self.localCount = localCount; self.layout = layout
    }

    /// Evaluates with a prepared activation. Errors are returned as `.error` values.
    @inlinable public func evaluate(_ activation: Activation) -> Value {
        if activation.layout === layout { return run(activation) }
        // An activation from another layout: re-slot its values by name.
        var adapted = Activation(layout: layout)
        for (i, name) in activation.layout.names.enumerated() where activation[name] != nil {
            adapted[name] = activation.slots[i]
        }
        for (k, v) in activation.extra { adapted[k] = v }
        return run(adapted)
    }

    /// Evaluates with variables given by name.
    public func evaluate(_ bindings: [String: Value] = [:]) -> Value {
        run(Activation(layout: layout, bindings: bindings))
    }

    @usableFromInline func run(_ activation: Activation) -> Value {
        // The slots buffer is taken from the borrowed parameter, not through the pointer, which
        // would copy (retain and release) the array. The closures capture the root unretained
        // and the count, not `self`: capturing `self` retained and released the root and the
        // layout at every evaluation.
        let root = Unmanaged.passUnretained(self.root), localCount = self.localCount
        return activation.slots.withUnsafeBufferPointer { slots in
            withUnsafePointer(to: activation) { pointer in
                Frame.with(pointer, slots: slots, localCount: localCount) { frame in
                    root._withUnsafeGuaranteedRef { $0.eval(&frame) }
                }
            }
        }
    }

    /// The result when the whole expression folded to a constant at plan time.
    public var constantResult: Value? { root.constantValue }
}
