/// Per-evaluation state, on the caller's stack: the activation and the slots of
/// comprehension variables.
public struct Frame {
    /// The caller's activation, borrowed for the duration of one evaluation (no retain).
    @usableFromInline let activationPointer: UnsafePointer<Activation>
    /// Comprehension (and bind) variables, numbered at plan time. A stack buffer rather than an
    /// array: every loop iteration writes a variable, and an array inside an `inout` frame paid a
    /// uniqueness check, a bounds check and a heap allocation per evaluation.
    @usableFromInline let locals: UnsafeMutablePointer<Value>
    /// The activation's slot values, read in place: going through `activation.slots` retained
    /// and released the array at every variable read.
    @usableFromInline let slots: UnsafePointer<Value>
    /// What this evaluation may still spend (comprehension iterations, sizes built).
    var budget: EvaluationBudget

    private init(activation: UnsafePointer<Activation>, slots: UnsafePointer<Value>, locals: UnsafeMutablePointer<Value>,
                 limits: EvaluationLimits, requestRemaining: Int) {
        self.activationPointer = activation
        self.slots = slots
        self.locals = locals
        self.budget = EvaluationBudget(limits, requestRemaining: requestRemaining)
    }

    /// Runs `body` with a frame over `activation` (whose slot values are `slots`) whose
    /// `localCount` locals start as null, with a full budget of `limits` (or what the host
    /// request has left, `requestRemaining`, when that is less).
    @inline(__always)
    static func with(_ activation: UnsafePointer<Activation>, slots slotBuffer: UnsafeBufferPointer<Value>, localCount: Int,
                     limits: EvaluationLimits, requestRemaining: Int = .max, _ body: (inout Frame) -> Value) -> Value {
        if localCount == 0, let slots = slotBuffer.baseAddress {
            // No locals: `locals` is never read or written, so it may point anywhere valid. The
            // slots serve, which spares the placeholder's destroy call below.
            var frame = Frame(activation: activation, slots: slots, locals: UnsafeMutablePointer(mutating: slots),
                              limits: limits, requestRemaining: requestRemaining)
            return body(&frame)
        }
        if localCount == 0 {
            // No locals: a placeholder that no node reads (and nothing to destroy after).
            var none = Value.null
            return withUnsafeMutablePointer(to: &none) { placeholder in
                var frame = Frame(activation: activation, slots: slotBuffer.baseAddress ?? UnsafePointer(placeholder),
                                  locals: placeholder, limits: limits, requestRemaining: requestRemaining)
                return body(&frame)
            }
        }
        return withUnsafeTemporaryAllocation(of: Value.self, capacity: localCount) { buffer in
            let base = buffer.baseAddress!
            base.initialize(repeating: .null, count: localCount)
            defer { base.deinitialize(count: localCount) }
            var frame = Frame(activation: activation, slots: slotBuffer.baseAddress ?? UnsafePointer(base), locals: base,
                              limits: limits, requestRemaining: requestRemaining)
            return body(&frame)
        }
    }

    /// The variables of this evaluation.
    public var activation: Activation { activationPointer.pointee }
}

/// A planned, evaluable expression node. Subclasses are immutable after planning, so a
/// program can be shared by any number of concurrent evaluations.
/// Each subclass restates the conformance (Swift 6.3 asks for it) on the same grounds: they are
/// final, hold `let`s, and their inline caches are atomics that only ever hold hints.
public class Interpretable: @unchecked Sendable { // non-final base: every subclass holds only lets and atomics
    /// The expression id this node came from (for error and unknown attribution).
    public let id: Int64
    init(id: Int64) { self.id = id }

    /// Evaluates the node.
    public func eval(_ f: inout Frame) -> Value { fatalError("abstract") }

    /// The value when the node is a constant, for plan-time folding and specialisation.
    var constantValue: Value? { nil }
}

/// A literal or folded constant.
final class ConstNode: Interpretable, @unchecked Sendable {
    let value: Value
    init(id: Int64, _ value: Value) { self.value = value; super.init(id: id) }
    override func eval(_ f: inout Frame) -> Value { value }
    override var constantValue: Value? { value }
}

/// A declared variable, read by slot.
final class SlotNode: Interpretable, @unchecked Sendable {
    let slot: Int
    let name: String
    init(id: Int64, slot: Int, name: String) { self.slot = slot; self.name = name; super.init(id: id) }
    override func eval(_ f: inout Frame) -> Value {
        let v = f.slots[slot]
        if case let .error(e) = v, e.message == "no such attribute" {
            return .err("no such attribute: \(name)")
        }
        return v
    }
}

/// A comprehension or bind variable.
final class LocalNode: Interpretable, @unchecked Sendable {
    let slot: Int
    init(id: Int64, slot: Int) { self.slot = slot; super.init(id: id) }
    override func eval(_ f: inout Frame) -> Value { f.locals[slot] }
}

/// An identifier that was not declared: looked up by name at run time, longest candidate first.
final class DynamicIdentNode: Interpretable, @unchecked Sendable {
    /// Candidate (name, remaining field path) pairs in resolution order.
    let candidates: [(String, [String])]
    let display: String
    init(id: Int64, candidates: [(String, [String])], display: String) {
        self.candidates = candidates; self.display = display; super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        for (name, path) in candidates {
            guard let v = f.activation[name] else { continue }
            var cur = v
            for field in path {
                cur = SelectNode.select(cur, field: field, key: .string(field))
                if cur.isErrorOrUnknown { return cur }
            }
            return cur
        }
        return .err("undeclared reference to '\(display)'")
    }
}
