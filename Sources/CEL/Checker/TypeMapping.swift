/// Type-variable substitutions found while unifying types, with cel-go's assignability rules.
///
/// The checker keeps one mapping for a whole expression; a trial unification works on a copy
/// and is committed only when it succeeds, so a failed overload leaves no bindings behind.
struct TypeMapping: Sendable {
    private var substitutions: [String: CheckedType] = [:]

    func find(_ name: String) -> CheckedType? { substitutions[name] }
    mutating func bind(_ name: String, _ t: CheckedType) { substitutions[name] = t }

    /// Whether `from` can be assigned to `to`, binding type variables on the way (on success only).
    mutating func isAssignable(_ to: CheckedType, from: CheckedType) -> Bool {
        var trial = self
        guard trial.internalIsAssignable(to, from) else { return false }
        self = trial
        return true
    }

    /// Element-wise assignability of two equally long lists (on success only).
    mutating func isAssignable(_ to: [CheckedType], from: [CheckedType]) -> Bool {
        var trial = self
        guard trial.internalIsAssignableList(to, from) else { return false }
        self = trial
        return true
    }

    private mutating func internalIsAssignableList(_ l1: [CheckedType], _ l2: [CheckedType]) -> Bool {
        guard l1.count == l2.count else { return false }
        for (a, b) in zip(l1, l2) where !internalIsAssignable(a, b) { return false }
        return true
    }

    // t1 is the declared (target) type, t2 the provided one; the relation is used both ways for
    // type variables, so the rules are symmetric except for the nullability and wrapper cases.
    private mutating func internalIsAssignable(_ t1: CheckedType, _ t2: CheckedType) -> Bool {
        if case let .typeParam(n2) = t2 {
            let (valid, hasSub) = isValidTypeSubstitution(t1, n2, t2)
            if valid { return true }
            if hasSub { return false }
        }
        if case let .typeParam(n1) = t1 {
            return isValidTypeSubstitution(t2, n1, t1).valid
        }
        if t1.isDynOrError || t2.isDynOrError {
            // `dyn` matched against `list(T)` makes T `dyn`: left free, T was bound by whatever
            // used the result next (`-dyn([1]).distinct()[0]` picked `-_` on doubles).
            bindFreeVariables(in: t1.isDynOrError ? t2 : t1, to: .dyn)
            return true
        }
        if case .null = t1 { return t2.isNullable }
        if case .null = t2 { return t1.isNullable }
        switch (t1, t2) {
        case (.bool, .bool), (.int, .int), (.uint, .uint), (.double, .double), (.string, .string),
             (.bytes, .bytes), (.timestamp, .timestamp), (.duration, .duration):
            return true
        case let (.wrapper(p), other):
            if case let .wrapper(q) = other { return p == q }
            return p == other
        case let (other, .wrapper(q)):
            // A wrapper holds its primitive (or null, caught above), so it unifies with the primitive.
            return other == q
        case let (.message(a), .message(b)):
            return a == b
        case (.type, .type):
            // A type is a type: its parameter does not affect overload resolution.
            return true
        case let (.list(a), .list(b)):
            return internalIsAssignable(a, b)
        case let (.map(k1, v1), .map(k2, v2)):
            return internalIsAssignableList([k1, v1], [k2, v2])
        case let (.opaque(n1, p1), .opaque(n2, p2)):
            return n1 == n2 && internalIsAssignableList(p1, p2)
        default:
            return false
        }
    }

    /// Whether `t` may stand for the type variable `name` (`param` is `.typeParam(name)`);
    /// `hasSub` tells whether the variable was already bound.
    private mutating func isValidTypeSubstitution(_ t: CheckedType, _ name: String, _ param: CheckedType)
        -> (valid: Bool, hasSub: Bool)
    {
        if t == param { return (true, true) }
        if let sub = substitutions[name] {
            if t == sub { return (true, true) }
            if internalIsAssignable(t, sub) {
                let general = TypeMapping.mostGeneral(t, sub)
                if notReferenced(name, in: general) { substitutions[name] = general }
                return (true, true)
            }
            return (false, true)
        }
        if notReferenced(name, in: t) {
            substitutions[name] = t
            return (true, false)
        }
        return (false, false)
    }

    /// Binds every unbound type variable inside `t` to `type`.
    private mutating func bindFreeVariables(in t: CheckedType, to type: CheckedType) {
        switch t {
        case let .typeParam(name):
            if let sub = substitutions[name] { bindFreeVariables(in: sub, to: type) } else { substitutions[name] = type }
        case .list, .map, .opaque, .type, .wrapper:
            for p in t.parameters { bindFreeVariables(in: p, to: type) }
        default:
            break
        }
    }

    /// The occurs check: binding `name` to a type containing it would make an infinite type.
    func notReferenced(_ name: String, in t: CheckedType) -> Bool {
        switch t {
        case let .typeParam(other):
            if other == name { return false }
            guard let sub = substitutions[other] else { return true }
            return notReferenced(name, in: sub)
        case .list, .map, .opaque, .type, .wrapper:
            return t.parameters.allSatisfy { notReferenced(name, in: $0) }
        default:
            return true
        }
    }

    /// Applies the substitutions; unbound variables become `dyn` when `typeParamToDyn` is set.
    func substitute(_ t: CheckedType, typeParamToDyn: Bool) -> CheckedType {
        switch t {
        case let .typeParam(name):
            if let sub = substitutions[name] { return substitute(sub, typeParamToDyn: typeParamToDyn) }
            return typeParamToDyn ? .dyn : t
        case let .list(e):
            return .list(substitute(e, typeParamToDyn: typeParamToDyn))
        case let .map(k, v):
            return .map(substitute(k, typeParamToDyn: typeParamToDyn), substitute(v, typeParamToDyn: typeParamToDyn))
        case let .type(p):
            return .type(p.map { substitute($0, typeParamToDyn: typeParamToDyn) })
        case let .opaque(name, ps):
            return .opaque(name, ps.map { substitute($0, typeParamToDyn: typeParamToDyn) })
        default:
            return t
        }
    }

    /// The more general of two types known to unify (`dyn` beats `int`, `list(dyn)` beats `list(int)`).
    static func mostGeneral(_ t1: CheckedType, _ t2: CheckedType) -> CheckedType {
        // A null joined with a nullable type keeps the nullable type (`[optional.of(1), null]`).
        if case .null = t2, t1.isNullable { return t1 }
        if case .null = t1, t2.isNullable { return t2 }
        return isEqualOrLessSpecific(t1, t2) ? t1 : t2
    }

    static func isEqualOrLessSpecific(_ t1: CheckedType, _ t2: CheckedType) -> Bool {
        if t1.isDyn { return true }
        if case .typeParam = t1 { return true }
        if t2.isDyn { return false }
        if case .typeParam = t2 { return false }
        switch (t1, t2) {
        case let (.opaque(n1, p1), .opaque(n2, p2)):
            guard n1 == n2, p1.count == p2.count else { return false }
            return zip(p1, p2).allSatisfy { isEqualOrLessSpecific($0, $1) }
        case let (.list(a), .list(b)):
            return isEqualOrLessSpecific(a, b)
        case let (.map(k1, v1), .map(k2, v2)):
            return isEqualOrLessSpecific(k1, k2) && isEqualOrLessSpecific(v1, v2)
        case (.type, .type):
            return true
        default:
            return t1 == t2
        }
    }
}
