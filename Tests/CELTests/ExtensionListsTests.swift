import Testing
@testable import CEL

@Suite struct ExtensionListsTests {
    @Test(arguments: [
        ("[1, 2, 3, 4].slice(1, 3)", "[2, 3]"), ("[1, [2, [3, 4]]].flatten()", "[1, 2, [3, 4]]"),
        ("[1, [2, [3, [4]]]].flatten(2)", "[1, 2, 3, [4]]"), ("[1, [2]].flatten(0)", "[1, [2]]"),
        ("lists.range(3)", "[0, 1, 2]"), ("lists.range(0)", "[]"), ("[2, 1, 'a'].reverse()", "['a', 1, 2]"),
        ("[1, 2.0, 1u, 2, 3].distinct()", "[1, 2.0, 3]"), ("[3, 1, 2].sort()", "[1, 2, 3]"),
        ("['c', 'b', 'a'].sort()", "['a', 'b', 'c']"),
        ("[{'n': 'a', 's': 2}, {'n': 'b', 's': 1}, {'n': 'c', 's': 2}].sortBy(e, e.s).map(e, e.n)", "['b', 'a', 'c']"),
        ("[1, 2].first()", "optional.of(1)"), ("[].last()", "optional.none()"),
    ])
    func listFunction_returnsCelGoResult(source: String, expected: String) {
        #expect(ExtensionEval.eval(source) == ExtensionEval.eval(expected))
    }

    @Test(arguments: [
        ("[1, 2].slice(-1, 1)", "cannot slice(-1, 1), negative indexes not supported"),
        ("[1, 2].slice(2, 1)", "cannot slice(2, 1), start index must be less than or equal to end index"),
        ("[1, 2].slice(0, 3)", "cannot slice(0, 3), list is length 2"),
        ("[1].flatten(-1)", "level must be non-negative"),
        ("dyn([1, 'a']).sort()", "list elements must have the same type"),
        ("dyn([[1], [2]]).sort()", "list elements must be comparable"),
    ])
    func invalidListArguments_areErrors(source: String, message: String) {
        #expect(ExtensionEval.errorMessage(source) == message)
    }
}
