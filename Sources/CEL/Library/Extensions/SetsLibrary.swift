/// cel-go `ext.Sets`: lists treated as sets, with CEL's heterogeneous equality (`1 == 1.0`).
public struct SetsLibrary: Library {
    /// The library; it has no options.
    public init() {}
    /// The library name used in diagnostics.
    public var name: String { "cel.ext.sets" }
    /// Checker declarations of the functions.
    public var declarations: [FunctionDecl] { Declarations.setsExtension }

    /// Runtime overloads, with cel-go overload ids.
    public var functions: [FunctionBinding] {
        [
            FunctionBinding("sets.contains", [.binary("list_sets_contains_list", K.list, K.list) { a, b in
                guard case let .list(x) = a, case let .list(y) = b else { return Ext.fail("sets.contains", a, b) }
                return .bool(SetsLibrary.contains(x, y))
            }.chargingPairwise()]),
            FunctionBinding("sets.equivalent", [.binary("list_sets_equivalent_list", K.list, K.list) { a, b in
                guard case let .list(x) = a, case let .list(y) = b else { return Ext.fail("sets.equivalent", a, b) }
                return .bool(SetsLibrary.contains(x, y) && SetsLibrary.contains(y, x))
            }.chargingPairwise()]),
            FunctionBinding("sets.intersects", [.binary("list_sets_intersects_list", K.list, K.list) { a, b in
                guard case let .list(x) = a, case let .list(y) = b else { return Ext.fail("sets.intersects", a, b) }
                return .bool(x.contains { e in y.contains { Value.celEquals(e, $0) } })
            }.chargingPairwise()]),
        ]
    }

    /// Whether every element of `sub` equals some element of `set`.
    public static func contains(_ set: [Value], _ sub: [Value]) -> Bool {
        sub.allSatisfy { e in set.contains { Value.celEquals($0, e) } }
    }
}
