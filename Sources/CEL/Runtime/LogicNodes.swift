/// Merges the unknown sets of two values, for operators that absorb errors but keep unknowns.
@inline(__always)
func mergeUnknowns(_ a: Value, _ b: Value) -> Value? {
    switch (a, b) {
    case let (.unknown(x), .unknown(y)): return .unknown(UnknownSet(x.exprIDs.union(y.exprIDs)))
    case (.unknown, _): return a
    case (_, .unknown): return b
    default: return nil
    }
}

/// `a && b`, commutative over errors and unknowns: a false on either side wins.
final class AndNode: Interpretable, @unchecked Sendable {
    let lhs: Interpretable, rhs: Interpretable
    init(id: Int64, _ lhs: Interpretable, _ rhs: Interpretable) { self.lhs = lhs; self.rhs = rhs; super.init(id: id) }
    override func eval(_ f: inout Frame) -> Value {
        let l = lhs.eval(&f)
        if case .bool(false) = l { return l }
        return AndNode.combine(l, rhs.eval(&f))
    }

    /// `l && r` once both sides are known (`l` is not false).
    @inline(__always)
    static func combine(_ l: Value, _ r: Value) -> Value {
        if case .bool(false) = l { return l }
        if case .bool(false) = r { return r }
        if case .bool(true) = l, case .bool(true) = r { return r }
        if let u = mergeUnknowns(l, r) { return u }
        if case .error = l { return l }
        if case .error = r { return r }
        return .noSuchOverload("_&&_")
    }
}

/// `a || b`, commutative over errors and unknowns: a true on either side wins.
final class OrNode: Interpretable, @unchecked Sendable {
    let lhs: Interpretable, rhs: Interpretable
    init(id: Int64, _ lhs: Interpretable, _ rhs: Interpretable) { self.lhs = lhs; self.rhs = rhs; super.init(id: id) }
    override func eval(_ f: inout Frame) -> Value {
        let l = lhs.eval(&f)
        if case .bool(true) = l { return l }
        return OrNode.combine(l, rhs.eval(&f))
    }

    /// `l || r` once both sides are known (`l` is not true).
    @inline(__always)
    static func combine(_ l: Value, _ r: Value) -> Value {
        if case .bool(true) = l { return l }
        if case .bool(true) = r { return r }
        if case .bool(false) = l, case .bool(false) = r { return r }
        if let u = mergeUnknowns(l, r) { return u }
        if case .error = l { return l }
        if case .error = r { return r }
        return .noSuchOverload("_||_")
    }
}

/// `c ? a : b`.
final class TernaryNode: Interpretable, @unchecked Sendable {
    let cond: Interpretable, then: Interpretable, otherwise: Interpretable
    init(id: Int64, _ c: Interpretable, _ t: Interpretable, _ e: Interpretable) {
        cond = c; then = t; otherwise = e; super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        let c = cond.eval(&f)
        switch c {
        case .bool(true): return then.eval(&f)
        case .bool(false): return otherwise.eval(&f)
        case .error, .unknown: return c
        default: return .noSuchOverload("_?_:_")
        }
    }
}

/// `@not_strictly_false(x)`: true unless `x` is the boolean false (comprehension loop guard).
final class NotStrictlyFalseNode: Interpretable, @unchecked Sendable {
    let operand: Interpretable
    init(id: Int64, _ operand: Interpretable) { self.operand = operand; super.init(id: id) }
    override func eval(_ f: inout Frame) -> Value {
        if case .bool(false) = operand.eval(&f) { return .bool(false) }
        return .bool(true)
    }
}

/// `a == b` and `a != b` with heterogeneous equality.
final class EqualityNode: Interpretable, @unchecked Sendable {
    let lhs: Interpretable, rhs: Interpretable
    let negate: Bool
    /// The sides when both are variable paths (`R.attr.owner == P.id`): then they are compared
    /// in place, without copying either value out of its map. Unmanaged (`lhs` and `rhs` keep
    /// them alive): through strong references each call retained and released the node.
    private let paths: (Unmanaged<SlotPathNode>, Unmanaged<SlotPathNode>)?
    init(id: Int64, _ lhs: Interpretable, _ rhs: Interpretable, negate: Bool) {
        self.lhs = lhs; self.rhs = rhs; self.negate = negate
        if let l = lhs as? SlotPathNode, let r = rhs as? SlotPathNode {
            paths = (.passUnretained(l), .passUnretained(r))
        } else {
            paths = nil
        }
        super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        if let paths, let a = paths.0._withUnsafeGuaranteedRef({ $0.locate(f.slots) }),
           let b = paths.1._withUnsafeGuaranteedRef({ $0.locate(f.slots) }),
           !Value.isErrorOrUnknown(at: a), !Value.isErrorOrUnknown(at: b) {
            if let exceeded = EqualityNode.charge(a.pointee, &f.budget) { return exceeded }
            return .bool(Value.celEquals(at: a, b) != negate)
        }
        let l = lhs.eval(&f)
        let r = rhs.eval(&f)
        if l.isErrorOrUnknown || r.isErrorOrUnknown {
            if let u = mergeUnknowns(l, r) { return u }
            return l.isErrorOrUnknown ? l : r
        }
        if let exceeded = EqualityNode.charge(l, &f.budget) { return exceeded }
        return .bool(Value.celEquals(l, r) != negate)
    }

    /// Charges comparing two lists or maps, one unit per element of the first: a comprehension
    /// can repeat the comparison of two large request lists. Other values compare in time
    /// bounded by their own size, uncharged (the string case stays a tag test).
    @inline(__always)
    static func charge(_ v: Value, _ budget: inout EvaluationBudget) -> Value? {
        switch v {
        case let .list(items): return budget.charge(items.count)
        case let .map(m): return budget.charge(m.count)
        default: return nil
        }
    }
}

/// `a == c` and `a != c` (or `c == a`) where `c` is a plan-time constant that is neither an
/// error nor unknown: saves evaluating (copying) the constant and the error checks on its side.
final class ConstantEqualityNode: Interpretable, @unchecked Sendable {
    let operand: Interpretable
    let constant: Value
    let constantOnLeft: Bool
    let negate: Bool
    /// The operand when it is a variable path, compared in place (see `EqualityNode.paths`).
    private let path: Unmanaged<SlotPathNode>?
    init(id: Int64, _ operand: Interpretable, _ constant: Value, constantOnLeft: Bool, negate: Bool) {
        self.operand = operand; self.constant = constant; self.constantOnLeft = constantOnLeft; self.negate = negate
        path = (operand as? SlotPathNode).map { .passUnretained($0) }
        super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        if let path, let a = path._withUnsafeGuaranteedRef({ $0.locate(f.slots) }), !Value.isErrorOrUnknown(at: a) {
            return .bool(Value.celEquals(at: a, constant: constant, constantOnLeft: constantOnLeft) != negate)
        }
        let v = operand.eval(&f)
        if v.isErrorOrUnknown { return v }
        return .bool((constantOnLeft ? Value.celEquals(constant, v) : Value.celEquals(v, constant)) != negate)
    }
}

/// The four ordering operators, across numeric kinds.
final class RelationNode: Interpretable, @unchecked Sendable {
    enum Op { case lt, le, gt, ge }
    let lhs: Interpretable, rhs: Interpretable
    let op: Op
    init(id: Int64, _ lhs: Interpretable, _ rhs: Interpretable, op: Op) {
        self.lhs = lhs; self.rhs = rhs; self.op = op; super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        let l = lhs.eval(&f)
        let r = rhs.eval(&f)
        if l.isErrorOrUnknown || r.isErrorOrUnknown {
            if let u = mergeUnknowns(l, r) { return u }
            return l.isErrorOrUnknown ? l : r
        }
        return RelationNode.apply(op, l, r)
    }

    static func apply(_ op: Op, _ l: Value, _ r: Value) -> Value {
        guard let o = Value.order(l, r) else {
            if case let .object(a) = l, let cmp = a as? any OrderedObjectValue, let c = cmp.compare(to: r) {
                return .bool(test(op, c))
            }
            return .noSuchOverload(name(op))
        }
        return .bool(test(op, o))
    }

    static func test(_ op: Op, _ o: ValueOrdering) -> Bool {
        switch (op, o) {
        case (_, .unordered): return false
        case (.lt, .less), (.le, .less), (.le, .equal), (.gt, .greater), (.ge, .greater), (.ge, .equal): return true
        default: return false
        }
    }

    static func name(_ op: Op) -> String {
        switch op {
        case .lt: return "_<_"
        case .le: return "_<=_"
        case .gt: return "_>_"
        case .ge: return "_>=_"
        }
    }
}

/// An object value that supports `<`, `<=`, `>`, `>=` against other values.
public protocol OrderedObjectValue: ObjectValue {
    /// Orders `self` against `other`; nil when they cannot be compared.
    func compare(to other: Value) -> ValueOrdering?
}

/// `x in list` and `k in map`.
final class InNode: Interpretable, @unchecked Sendable {
    let elem: Interpretable, container: Interpretable
    init(id: Int64, _ elem: Interpretable, _ container: Interpretable) {
        self.elem = elem; self.container = container; super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        let e = elem.eval(&f)
        let c = container.eval(&f)
        if e.isErrorOrUnknown || c.isErrorOrUnknown {
            if let u = mergeUnknowns(e, c) { return u }
            return e.isErrorOrUnknown ? e : c
        }
        return InNode.contains(c, e, &f.budget)
    }

    /// Whether `e` is in `c`. A list search is charged one cost unit per 16 elements: a
    /// comprehension can repeat it over a large request list.
    static func contains(_ c: Value, _ e: Value, _ budget: inout EvaluationBudget) -> Value {
        switch c {
        case let .list(l):
            if let exceeded = budget.charge(l.count >> 4) { return exceeded }
            if case let .string(s) = e {
                for x in l { if case let .string(t) = x, StringBytes.equal(t, s) { return .bool(true) } }
                return .bool(false)
            }
            for x in l where Value.celEquals(x, e) { return .bool(true) }
            return .bool(false)
        case let .map(m):
            guard let k = MapKey.lookupKey(e) else { return .bool(false) }
            return .bool(m.contains(k))
        case let .object(o as any ContainerObjectValue):
            return o.contains(e)
        default:
            return .noSuchOverload("@in")
        }
    }

    /// `contains` on a container read in place: a string is looked up in a list without
    /// copying (retaining) the list or its elements.
    @inline(__always)
    static func contains(at c: UnsafePointer<Value>, _ e: Value, _ budget: inout EvaluationBudget) -> Value {
        if case let .string(s) = e, case let .list(l) = c.pointee {
            if l.count >= 16 { return contains(c.pointee, e, &budget) }
            // This pass makes no calls, so the list is read in place rather than retained for
            // the loop. It settles every element but strings of the same length in another
            // representation (a separately allocated long string), which the full search compares.
            var undecided = false
            for x in l {
                if case let .string(t) = x, t.utf8.count == s.utf8.count {
                    if StringBytes.sameRepresentation(t, s) { return .bool(true) }
                    undecided = true
                }
            }
            if !undecided { return .bool(false) }
            return contains(c.pointee, e, &budget)
        }
        if Value.isErrorOrUnknown(at: c) { return c.pointee }
        return contains(c.pointee, e, &budget)
    }
}

/// `c in container` where `c` is a plan-time constant that is neither an error nor unknown
/// (`"admin" in P.roles`): saves evaluating (copying) the constant and its error checks.
final class ConstantInNode: Interpretable, @unchecked Sendable {
    let elem: Value, container: Interpretable
    /// The container when it is a variable path (`P.roles`), read in place (unmanaged: see
    /// `EqualityNode.paths`).
    private let path: Unmanaged<SlotPathNode>?
    init(id: Int64, _ elem: Value, _ container: Interpretable) {
        self.elem = elem; self.container = container
        path = (container as? SlotPathNode).map { .passUnretained($0) }
        super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        if let path, let c = path._withUnsafeGuaranteedRef({ $0.locate(f.slots) }) { return InNode.contains(at: c, elem, &f.budget) }
        let c = container.eval(&f)
        if c.isErrorOrUnknown { return c }
        return InNode.contains(c, elem, &f.budget)
    }
}

/// An object value that supports `x in obj`.
public protocol ContainerObjectValue: ObjectValue {
    /// `elem in self`.
    func contains(_ elem: Value) -> Value
}
