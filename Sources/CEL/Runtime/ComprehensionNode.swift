/// The fold behind every comprehension macro, with cel-go semantics: the loop stops when the
/// condition is a boolean other than true; errors in the step are carried in the accumulator.
final class ComprehensionNode: Interpretable, @unchecked Sendable {
    let range: Interpretable
    let iterSlot: Int
    /// Slot of the second variable of two-variable forms, or -1.
    let iterSlot2: Int
    let accuSlot: Int
    let accuInit: Interpretable
    let condition: Interpretable
    let step: Interpretable
    let result: Interpretable

    init(id: Int64, range: Interpretable, iterSlot: Int, iterSlot2: Int, accuSlot: Int, accuInit: Interpretable,
         condition: Interpretable, step: Interpretable, result: Interpretable) {
        self.range = range; self.iterSlot = iterSlot; self.iterSlot2 = iterSlot2; self.accuSlot = accuSlot
        self.accuInit = accuInit; self.condition = condition; self.step = step; self.result = result
        super.init(id: id)
    }

    override func eval(_ f: inout Frame) -> Value {
        let r = range.eval(&f)
        if r.isErrorOrUnknown { return r }
        f.locals[accuSlot] = accuInit.eval(&f)
        switch r {
        case let .list(items):
            for (i, item) in items.enumerated() {
                if iterSlot2 >= 0 {
                    f.locals[iterSlot] = .int(Int64(i))
                    f.locals[iterSlot2] = item
                } else {
                    f.locals[iterSlot] = item
                }
                if !runStep(&f) { break }
            }
        case let .map(m):
            for (k, v) in m.storage {
                f.locals[iterSlot] = k.value
                if iterSlot2 >= 0 { f.locals[iterSlot2] = v }
                if !runStep(&f) { break }
            }
        case let .object(o as any IterableObjectValue):
            for item in o.elements() {
                f.locals[iterSlot] = item
                if !runStep(&f) { break }
            }
        default:
            return .err("cannot iterate over \(r.celType)")
        }
        let out = result.eval(&f)
        f.locals[accuSlot] = .null
        return out
    }

    @inline(__always)
    private func runStep(_ f: inout Frame) -> Bool {
        if case let .bool(b) = condition.eval(&f), !b { return false }
        f.locals[accuSlot] = step.eval(&f)
        return true
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
        var accu = f.locals[accuSlot]
        f.locals[accuSlot] = .null
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
