import CEL

/// Cerbos's list set operations: `intersect`, `except`, `hasIntersection` (`has_intersection`)
/// and `isSubset` (`is_subset`), each as a global and a member function.
///
/// Membership follows Cerbos: against a list of more than three elements that are all strings,
/// ints, uints, doubles, durations or timestamps, an element matches only a value of the same
/// kind (Cerbos looks such lists up in a Go map); otherwise CEL's heterogeneous equality applies,
/// so `[dyn(1.0)].isSubset([1, 2])` holds but `[dyn(1.0)].isSubset([1, 2, 3, 4])` does not.
enum ListFunctions {
    /// Which of `x`'s elements `haystack` contains, by Cerbos's rule above.
    struct Membership {
        let haystack: [Value]
        let byKind: Bool

        init(_ haystack: [Value]) {
            self.haystack = haystack
            byKind = haystack.count > 3 && haystack.allSatisfy(Membership.isHashable)
        }

        static func isHashable(_ v: Value) -> Bool {
            switch v {
            case .string, .int, .uint, .double, .duration, .timestamp: return true
            default: return false
            }
        }

        func contains(_ x: Value) -> Bool {
            if byKind {
                guard Membership.isHashable(x) else { return false }
                return haystack.contains { sameKindEqual($0, x) }
            }
            return haystack.contains { Value.celEquals(x, $0) }
        }

        private func sameKindEqual(_ a: Value, _ b: Value) -> Bool {
            switch (a, b) {
            case let (.string(x), .string(y)): return x.utf8.elementsEqual(y.utf8)
            case let (.int(x), .int(y)): return x == y
            case let (.uint(x), .uint(y)): return x == y
            case let (.double(x), .double(y)): return x == y
            case let (.duration(x), .duration(y)): return x == y
            case let (.timestamp(x), .timestamp(y)): return x == y
            default: return false
            }
        }
    }

    /// Both arguments as lists, or the value to return instead: an unknown argument passes
    /// through (the global forms are non-strict), anything else is `no such overload`.
    static func lists(_ a: Value, _ b: Value, _ name: String) -> Result<([Value], [Value]), ValueFailure> {
        guard case let .list(x) = a else { return .failure(ValueFailure(a.isUnknownValue ? a : .noSuchOverload(name))) }
        guard case let .list(y) = b else { return .failure(ValueFailure(b.isUnknownValue ? b : .noSuchOverload(name))) }
        return .success((x, y))
    }

    /// Elements of the shorter list (the left one on ties) that the other contains, in order,
    /// duplicates kept.
    static func intersect(_ a: Value, _ b: Value) -> Value {
        switch lists(a, b, "intersect") {
        case let .failure(f): return f.value
        case let .success((x, y)):
            let (short, long) = x.count > y.count ? (y, x) : (x, y)
            let m = Membership(long)
            return .list(short.filter { m.contains($0) })
        }
    }

    /// Elements of the left list that the right one does not contain, duplicates kept.
    static func except(_ a: Value, _ b: Value) -> Value {
        switch lists(a, b, "except") {
        case let .failure(f): return f.value
        case let .success((x, y)):
            let m = Membership(y)
            return .list(x.filter { !m.contains($0) })
        }
    }

    /// Whether the lists share an element.
    static func hasIntersection(_ a: Value, _ b: Value) -> Value {
        switch lists(a, b, "hasIntersection") {
        case let .failure(f): return f.value
        case let .success((x, y)):
            let (short, long) = x.count > y.count ? (y, x) : (x, y)
            let m = Membership(long)
            return .bool(short.contains { m.contains($0) })
        }
    }

    /// Whether every element of the left list is in the right one.
    static func isSubset(_ a: Value, _ b: Value) -> Value {
        switch lists(a, b, "isSubset") {
        case let .failure(f): return f.value
        case let .success((x, y)):
            let m = Membership(y)
            return .bool(x.allSatisfy { m.contains($0) })
        }
    }

    /// The global (non-strict) and member overloads of one list function, with Cerbos's ids.
    static func bindings(_ name: String, _ f: @escaping @Sendable (Value, Value) -> Value) -> FunctionBinding {
        let list = ArgKind.kind(.list)
        return FunctionBinding(name, [
            Overload("\(name)_overload", [.any, .any], isNonStrict: true, .binary(f)),
            Overload("\(name)_member_overload", [list, list], isMember: true, .binary(f)),
        ])
    }

    /// Runtime bindings of all list functions.
    static var functions: [FunctionBinding] {
        [
            bindings("intersect") { intersect($0, $1) }, bindings("except") { except($0, $1) },
            bindings("hasIntersection") { hasIntersection($0, $1) },
            bindings("has_intersection") { hasIntersection($0, $1) },
            bindings("isSubset") { isSubset($0, $1) }, bindings("is_subset") { isSubset($0, $1) },
        ]
    }

    /// Checker declarations: `(list(A), list(A)) -> list(A)` or `-> bool`, global and member.
    static var declarations: [FunctionDecl] {
        let l = CheckedType.list(.typeParam("A"))
        func decl(_ name: String, _ result: CheckedType) -> FunctionDecl {
            FunctionDecl(name, OverloadDecl("\(name)_overload", [l, l], result),
                         .member("\(name)_member_overload", [l, l], result))
        }
        return [decl("intersect", l), decl("except", l), decl("hasIntersection", .bool), decl("has_intersection", .bool),
                decl("isSubset", .bool), decl("is_subset", .bool)]
    }
}

/// A value returned early from a helper instead of a result (an error, unknown or overload miss).
struct ValueFailure: Error {
    let value: Value
    init(_ value: Value) { self.value = value }
}

extension Value {
    /// True for `.unknown`.
    var isUnknownValue: Bool {
        if case .unknown = self { return true }
        return false
    }
}
