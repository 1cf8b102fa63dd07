import CEL

/// Cerbos's list set operations: `intersect`, `except`, `hasIntersection` (`has_intersection`)
/// and `isSubset` (`is_subset`), each as a global and a member function.
///
/// Elements match by CEL's heterogeneous equality whatever the list sizes (`[dyn(1.0)].isSubset([1])`
/// holds), as in `sets.contains`/`sets.intersects`. Older Cerbos releases looked long lists of
/// scalars up in a Go map, which missed `1.0` against `1`; cerbos/cerbos#3257 fixed that.
enum ListFunctions {
    /// Whether `haystack` contains `x` by CEL equality.
    static func contains(_ haystack: [Value], _ x: Value) -> Bool {
        haystack.contains { Value.celEquals(x, $0) }
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
            return .list(short.filter { contains(long, $0) })
        }
    }

    /// Elements of the left list that the right one does not contain, duplicates kept.
    static func except(_ a: Value, _ b: Value) -> Value {
        switch lists(a, b, "except") {
        case let .failure(f): return f.value
        case let .success((x, y)):
            return .list(x.filter { !contains(y, $0) })
        }
    }

    /// Whether the lists share an element.
    static func hasIntersection(_ a: Value, _ b: Value) -> Value {
        switch lists(a, b, "hasIntersection") {
        case let .failure(f): return f.value
        case let .success((x, y)):
            let (short, long) = x.count > y.count ? (y, x) : (x, y)
            return .bool(short.contains { contains(long, $0) })
        }
    }

    /// Whether every element of the left list is in the right one.
    static func isSubset(_ a: Value, _ b: Value) -> Value {
        switch lists(a, b, "isSubset") {
        case let .failure(f): return f.value
        case let .success((x, y)):
            return .bool(x.allSatisfy { contains(y, $0) })
        }
    }

    /// The global (non-strict) and member overloads of one list function, with Cerbos's ids.
    /// Each compares every element of one list with the other's, so each is charged to the
    /// evaluation's budget first (`engine.celLimits.costLimit`): the request picks both lists.
    static func bindings(_ name: String, _ f: @escaping @Sendable (Value, Value) -> Value) -> FunctionBinding {
        let list = ArgKind.kind(.list)
        return FunctionBinding(name, [
            Overload("\(name)_overload", [.any, .any], isNonStrict: true, .binary(f)).chargingPairwise(),
            Overload("\(name)_member_overload", [list, list], isMember: true, .binary(f)).chargingPairwise(),
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
