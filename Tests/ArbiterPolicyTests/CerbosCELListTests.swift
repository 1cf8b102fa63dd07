import ArbiterPolicy
import CEL
import Testing

struct CerbosCELListTests {
    @Test(arguments: [
        "intersect([1, 2, 3], [2, 3, 4]) == [2, 3]",
        "[1, 2, 3].intersect([2, 3, 4]) == [2, 3]",
        // The shorter list decides the order; the left one on ties. Duplicates are kept.
        "intersect([4, 3, 2, 1], [1, 2]) == [1, 2]",
        "intersect([2, 1, 2], [1, 2, 3]) == [2, 1, 2]",
        "intersect([], [1]) == []",
        "except([1, 2, 2, 3], [2]) == [1, 3]",
        "[1, 2, 2, 3].except([4]) == [1, 2, 2, 3]",
        "hasIntersection(['a', 'b'], ['c', 'b'])",
        "!has_intersection(['a'], ['b'])",
        "!['a'].hasIntersection([])",
        "isSubset(['a'], ['a', 'b'])",
        "is_subset([], ['a'])",
        "!['a', 'c'].isSubset(['a', 'b'])",
        "['a', 'a'].is_subset(['a'])",
        // Heterogeneous equality, whatever the list sizes (cerbos/cerbos#3257).
        "[dyn(1.0)].isSubset([1, 2])",
        "intersect([dyn(1u)], [1, 2]) == [1u]",
        "[dyn(1.0)].isSubset([1, 2, 3, 4])",
        "except([dyn(1.0), 5.0], [1, 2, 3, 4]) == [5.0]",
        "hasIntersection([dyn(4.0)], [1, 2, 3, 4, 5])",
        "!isSubset([dyn(1.5)], [1, 2, 3, 4])",
        "[[1], [2]].isSubset([[2], [1], [3], [4]])",
        "P.attr.teams.except(['design']) == ['product']",
    ])
    func listExpression_holds(_ source: String) {
        let b = CerbosCEL.bindings(principalAttr: [("teams", .list([.string("design"), .string("product")]))])
        let v = CerbosCEL.eval(source, b)
        #expect(CerbosCEL.isTrue(v), "\(source) gave \(v)")
    }

    @Test(arguments: ["intersect(dyn(1), [1])", "except([1], dyn('a'))", "dyn(1).isSubset([1])", "hasIntersection(dyn({}), [1])"])
    func nonListArgument_isAnError(_ source: String) {
        #expect(CerbosCEL.runtimeError(source) != nil)
    }

    @Test func mismatchedElementTypes_isACompileError() {
        guard case .failure = CerbosCEL.compile("intersect([1], ['a'])") else {
            Issue.record("expected a compile error")
            return
        }
    }

    /// Two request lists of 10,000 elements: 10^8 comparisons, past the default cost limit, so
    /// the set functions give the cost-limit error instead of pinning a core.
    @Test(arguments: ["P.attr.a.intersect(P.attr.b).size() > 0", "except(P.attr.a, P.attr.b).size() > 0",
                      "P.attr.a.hasIntersection(P.attr.b)", "is_subset(P.attr.a, P.attr.b)"])
    func setFunctionOnHugeRequestLists_isTheCostLimitError(_ source: String) {
        let a = Value.list((0..<10_000).map { .int($0) }), b = Value.list((0..<10_000).map { .int(-1 - $0) })
        let v = CerbosCEL.eval(source, CerbosCEL.bindings(principalAttr: [("a", a), ("b", b)]))
        guard case let .error(e) = v else { Issue.record("\(source) gave \(v)"); return }
        #expect(e.message.contains("cost limit"), "\(e.message)")
    }
}
