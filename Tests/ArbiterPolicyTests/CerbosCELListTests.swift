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
        // Heterogeneous equality for short lists...
        "[dyn(1.0)].isSubset([1, 2])",
        "intersect([dyn(1u)], [1, 2]) == [1u]",
        // ...but same-kind matching against longer lists of scalars, as Cerbos's map lookup does.
        "![dyn(1.0)].isSubset([1, 2, 3, 4])",
        "except([dyn(1.0), 5.0], [1, 2, 3, 4]) == [1.0, 5.0]",
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
}
