/// cel-go `ext.Lists` at its latest version (`slice`, `flatten`, `sort`, `sortBy`, `distinct`,
/// `reverse`, `lists.range`); `first`/`last` belong to the optional-types library.
public struct ListsLibrary: Library {
    /// The library; it has no options.
    public init() {}
    /// The library name used in diagnostics.
    public var name: String { "cel.ext.lists" }
    /// Parse-time macros.
    public var macros: [Macro] { Macro.lists }
    /// Checker declarations of the functions.
    public var declarations: [FunctionDecl] { Declarations.listsExtension }

    /// Runtime overloads, with cel-go overload ids.
    public var functions: [FunctionBinding] {
        [
            FunctionBinding("slice", [.budgeted("list_slice", [K.list, K.int, K.int], isMember: true) { args, budget in
                guard case let .list(items) = args[0], case let .int(start) = args[1], case let .int(end) = args[2] else {
                    return .noSuchOverload("slice")
                }
                return ListsLibrary.slice(items, start, end, &budget)
            }]),
            FunctionBinding("flatten", [
                .budgetedUnary("list_flatten", K.list, isMember: true) { a, budget in
                    guard case let .list(items) = a else { return Ext.fail("flatten", a) }
                    return ListsLibrary.flatten(items, depth: 1, &budget)
                },
                .budgetedBinary("list_flatten_int", K.list, K.int, isMember: true) { a, b, budget in
                    guard case let .list(items) = a, case let .int(depth) = b else { return Ext.fail("flatten", a, b) }
                    if depth < 0 { return .err("level must be non-negative") }
                    return ListsLibrary.flatten(items, depth: depth, &budget)
                },
            ]),
            FunctionBinding("lists.range", [.budgetedUnary("lists_range", K.int) { a, budget in
                guard case let .int(n) = a else { return Ext.fail("lists.range", a) }
                if n <= 0 { return .list([]) }
                // Admitted before anything is allocated: `n` is often request data.
                if let e = budget.admitList(Int(clamping: n), by: "lists.range") { return e }
                return .list((0..<n).map { .int($0) })
            }]),
            FunctionBinding("reverse", [.budgetedUnary("list_reverse", K.list, isMember: true) { a, budget in
                guard case let .list(items) = a else { return Ext.fail("reverse", a) }
                if let e = budget.admitList(items.count, by: "reverse") { return e }
                return .list(items.reversed())
            }]),
            FunctionBinding("distinct", [.budgetedUnary("list_distinct", K.list, isMember: true) { a, budget in
                guard case let .list(items) = a else { return Ext.fail("distinct", a) }
                return ListsLibrary.distinct(items, &budget)
            }]),
            FunctionBinding("sort", [.budgetedUnary("list_sort", K.list, isMember: true) { a, budget in
                guard case let .list(items) = a else { return Ext.fail("sort", a) }
                return ListsLibrary.sorted(items, by: items, &budget)
            }]),
            FunctionBinding("@sortByAssociatedKeys", [
                .budgetedBinary("list_sortByAssociatedKeys", K.list, K.list, isMember: true) { a, b, budget in
                    guard case let .list(items) = a, case let .list(keys) = b else { return Ext.fail("sortBy", a, b) }
                    return ListsLibrary.sorted(items, by: keys, &budget)
                },
            ]),
        ]
    }

    static func slice(_ items: [Value], _ start: Int64, _ end: Int64, _ budget: inout EvaluationBudget) -> Value {
        if start < 0 || end < 0 { return .err("cannot slice(\(start), \(end)), negative indexes not supported") }
        if start > end { return .err("cannot slice(\(start), \(end)), start index must be less than or equal to end index") }
        if end > Int64(items.count) { return .err("cannot slice(\(start), \(end)), list is length \(items.count)") }
        if let e = budget.admitList(Int(end - start), by: "slice") { return e }
        return .list(Array(items[Int(start)..<Int(end)]))
    }

    /// `items` flattened `depth` levels, admitted at its final size before it is built: the
    /// inner lists can be one request list referenced many times.
    static func flatten(_ items: [Value], depth: Int64, _ budget: inout EvaluationBudget) -> Value {
        if let e = budget.admitList(flattenedCount(items, depth: depth, cap: budget.limits.maxListSize), by: "flatten") {
            return e
        }
        return .list(flatten(items, depth: depth))
    }

    /// The element count of `flatten(items, depth:)`, counting stopped once past `cap`.
    static func flattenedCount(_ items: [Value], depth: Int64, cap: Int) -> Int {
        guard depth > 0 else { return items.count }
        var n = 0
        for item in items {
            if case let .list(inner) = item { n += flattenedCount(inner, depth: depth - 1, cap: cap) } else { n += 1 }
            if n > cap { return n }
        }
        return n
    }

    static func flatten(_ items: [Value], depth: Int64) -> [Value] {
        guard depth > 0 else { return items }
        var out: [Value] = []
        for item in items {
            if case let .list(inner) = item { out.append(contentsOf: flatten(inner, depth: depth - 1)) } else { out.append(item) }
        }
        return out
    }

    /// Keeps the first of each group of equal elements (CEL equality, so `1` and `1.0` are one).
    /// Quadratic, so the comparisons are charged as they are made.
    static func distinct(_ items: [Value], _ budget: inout EvaluationBudget) -> Value {
        var out: [Value] = []
        for item in items {
            if let e = budget.charge(out.count + 1) { return e }
            if !out.contains(where: { Value.celEquals($0, item) }) { out.append(item) }
        }
        return .list(out)
    }

    /// `sorted(_:by:)` charged about n·log₂(n) comparisons first.
    static func sorted(_ items: [Value], by keys: [Value], _ budget: inout EvaluationBudget) -> Value {
        let n = items.count
        if let e = budget.admitList(n, by: "sort") { return e }
        if n > 1, let e = budget.charge(n * (Int.bitWidth - n.leadingZeroBitCount)) { return e }
        return sorted(items, by: keys)
    }

    /// Sorts `items` by the parallel `keys`, which must all be of one orderable kind.
    static func sorted(_ items: [Value], by keys: [Value]) -> Value {
        guard items.count == keys.count else {
            return .err("@sortByAssociatedKeys() expected a list of the same size as the associated keys list, but got \(items.count) and \(keys.count) elements respectively.")
        }
        guard let first = keys.first else { return .list(items) }
        switch first.kind {
        case .int, .uint, .double, .bool, .string, .bytes, .timestamp, .duration: break
        default: return .err("list elements must be comparable")
        }
        for k in keys where k.kind != first.kind { return .err("list elements must have the same type") }
        // Ties keep their input order (Go's sort.Slice is stable for the short lists policies hold).
        let order = keys.indices.sorted { i, j in
            switch Value.order(keys[i], keys[j]) {
            case .less?: return true
            case .greater?: return false
            default: return i < j
            }
        }
        return .list(order.map { items[$0] })
    }
}
