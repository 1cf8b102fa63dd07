import OrderedCollections

/// The fold behind every comprehension macro, with cel-go semantics: the loop stops when the
/// condition is a boolean other than true; errors in the step are carried in the accumulator.
final class ComprehensionNode: Interpretable, @unchecked Sendable {
    /// How the loop body runs. `all` and `exists` fuse the macros' condition and step: the
    /// step node is then just the predicate, and the accumulator is combined with `&&`/`||`
    /// semantics here, which saves four node evaluations and two value copies per element.
    enum Fold {
        /// Evaluate `condition`, stop unless it is true-ish, then `accu = step`.
        case general
        /// `all`: `accu = accu && step`, stop once `accu` is false.
        case all
        /// `exists`: `accu = accu || step`, stop once `accu` is true.
        case exists
    }

    let fold: Fold
    let range: Interpretable
    let iterSlot: Int
    /// Slot of the second variable of two-variable forms, or -1.
    let iterSlot2: Int
    let accuSlot: Int
    let accuInit: Interpretable
    let condition: Interpretable
    let step: Interpretable
    let result: Interpretable

    init(id: Int64, fold: Fold = .general, range: Interpretable, iterSlot: Int, iterSlot2: Int, accuSlot: Int,
         accuInit: Interpretable, condition: Interpretable, step: Interpretable, result: Interpretable) {
        self.fold = fold; self.range = range; self.iterSlot = iterSlot; self.iterSlot2 = iterSlot2; self.accuSlot = accuSlot
        self.accuInit = accuInit; self.condition = condition; self.step = step; self.result = result
        super.init(id: id)
    }

    override func eval(_ f: inout Frame) -> Value {
        let r = range.eval(&f)
        if r.isErrorOrUnknown { return r }
        let locals = f.locals
        locals[accuSlot] = accuInit.eval(&f)
        // Every iteration is charged before it runs; an exhausted budget ends the loop with
        // the cost-limit error, whatever the accumulator holds.
        var exhausted = false
        switch r {
        case let .list(items):
            // Indices rather than `enumerated()`, and the buffer rather than an iterator, so an
            // iteration copies the element once (into its slot) and nothing else.
            items.withUnsafeBufferPointer { buffer in
                for i in 0..<buffer.count {
                    guard f.budget.iterate() else { exhausted = true; break }
                    if iterSlot2 >= 0 {
                        locals[iterSlot] = .int(Int64(i))
                        locals[iterSlot2] = buffer[i]
                    } else {
                        locals[iterSlot] = buffer[i]
                    }
                    if !runStep(&f) { break }
                }
            }
        case let .map(m):
            for (k, v) in m.storage {
                guard f.budget.iterate() else { exhausted = true; break }
                locals[iterSlot] = k.value
                if iterSlot2 >= 0 { locals[iterSlot2] = v }
                if !runStep(&f) { break }
            }
        case let .object(o as any IterableObjectValue):
            for item in o.elements() {
                guard f.budget.iterate() else { exhausted = true; break }
                locals[iterSlot] = item
                if !runStep(&f) { break }
            }
        default:
            return .err("cannot iterate over \(r.celType)")
        }
        let out = exhausted ? f.budget.exhausted() : result.eval(&f)
        locals[accuSlot] = .null
        locals[iterSlot] = .null
        if iterSlot2 >= 0 { locals[iterSlot2] = .null }
        return out
    }

    @inline(__always)
    private func runStep(_ f: inout Frame) -> Bool {
        switch fold {
        case .general:
            if case let .bool(b) = condition.eval(&f), !b { return false }
            f.locals[accuSlot] = step.eval(&f)
            return true
        case .exists:
            // The accumulator is never true here (the loop stops when it becomes true), and
            // `accu || false` is `accu`.
            let r = step.eval(&f)
            if case .bool(false) = r { return true }
            f.locals[accuSlot] = OrNode.combine(f.locals[accuSlot], r)
            if case .bool(true) = f.locals[accuSlot] { return false }
            return true
        case .all:
            let r = step.eval(&f)
            if case .bool(true) = r { return true }
            f.locals[accuSlot] = AndNode.combine(f.locals[accuSlot], r)
            if case .bool(false) = f.locals[accuSlot] { return false }
            return true
        }
    }
}

/// An object value that comprehensions can iterate.
public protocol IterableObjectValue: ObjectValue {
    /// The values a comprehension visits, in order.
    func elements() -> [Value]
}

/// `accu + [elem]` inside a comprehension step: appends in place instead of copying the list,
/// which keeps `map` and `filter` linear.
final class AccumulateNode: Interpretable, @unchecked Sendable {
    let accuSlot: Int
    let elements: Interpretable
    init(id: Int64, accuSlot: Int, elements: Interpretable) {
        self.accuSlot = accuSlot; self.elements = elements; super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        let e = elements.eval(&f)
        // Moved out of the slot, so the list below is uniquely referenced and appends in place.
        var accu = (f.locals + accuSlot).move()
        (f.locals + accuSlot).initialize(to: .null)
        if accu.isErrorOrUnknown { return accu }
        if e.isErrorOrUnknown { return e }
        guard case .list(var items) = accu, case let .list(extra) = e else {
            return .noSuchOverload("_+_")
        }
        accu = .null
        items.append(contentsOf: extra)
        return .list(items)
    }
}
