/// The variable values for one evaluation. Declared variables live in slots numbered by the
/// environment's `VariableLayout`; names that were not declared (only possible when checking
/// is off) go to a dictionary that programs consult by name.
///
/// Prepare one per request and reuse it across programs of the same environment.
public struct Activation: Sendable {
    /// The layout the slots follow.
    public let layout: VariableLayout
    /// Slot values; an unset declared variable holds an `undeclared` error value.
    public var slots: [Value]
    /// Values for names not in the layout.
    public var extra: [String: Value]

    public init(layout: VariableLayout) {
        self.layout = layout
        self.slots = Array(repeating: Activation.unbound, count: layout.count)
        self.extra = [:]
    }

    /// An activation with `bindings` set by name.
    public init(layout: VariableLayout, bindings: [String: Value]) {
        self.init(layout: layout)
        for (k, v) in bindings { self[k] = v }
    }

    /// The placeholder of a declared but unbound variable.
    static let unbound = Value.error(EvalError("no such attribute"))

    /// Reads or writes a variable by name.
    public subscript(name: String) -> Value? {
        get {
            if let s = layout.slot(of: name) {
                if case let .error(e) = slots[s], e.message == "no such attribute" { return nil }
                return slots[s]
            }
            return extra[name]
        }
        set {
            if let s = layout.slot(of: name) {
                slots[s] = newValue ?? Activation.unbound
            } else {
                extra[name] = newValue
            }
        }
    }

    /// Writes a variable by slot (see `VariableLayout.slot(of:)`), the fast path for hosts.
    @inlinable public mutating func set(slot: Int, _ value: Value) { slots[slot] = value }

    /// Whether `name` has a value.
    public func contains(_ name: String) -> Bool { self[name] != nil }
}
