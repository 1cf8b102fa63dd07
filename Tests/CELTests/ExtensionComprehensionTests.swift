import Testing
@testable import CEL

@Suite struct ExtensionComprehensionTests {
    @Test(arguments: [
        ("cel.bind(x, 2, x * x)", "4"), ("cel.bind(a, 'x', cel.bind(b, a + 'y', b + a))", "'xyx'"),
        ("[10, 20].all(i, v, v == (i + 1) * 10)", "true"), ("{'a': 1, 'b': 2}.exists(k, v, k == 'b' && v == 2)", "true"),
        ("[1, 2, 1].existsOne(i, v, v == 2)", "true"), ("[1, 1].exists_one(i, v, v == 1)", "false"),
        ("[1, 2, 3].transformList(i, v, i * v)", "[0, 2, 6]"),
        ("[1, 2, 3].transformList(i, v, i % 2 == 0, v)", "[1, 3]"),
        ("{'a': 1}.transformMap(k, v, v + 1)", "{'a': 2}"),
        ("{'a': 'b'}.transformMapEntry(k, v, {v: k})", "{'b': 'a'}"),
        ("[1, 2].transformMapEntry(i, v, {string(v): i})", "{'1': 0, '2': 1}"),
        ("optional.of(2).optMap(x, x * 3)", "optional.of(6)"), ("optional.none().optMap(x, x * 3)", "optional.none()"),
        ("optional.of(2).optFlatMap(x, optional.of(x + 1))", "optional.of(3)"),
    ])
    func macro_evaluatesLikeCelGo(source: String, expected: String) {
        #expect(ExtensionEval.eval(source) == ExtensionEval.eval(expected))
    }

    @Test func transformMapEntry_withDuplicateKeys_isAnError() {
        #expect(ExtensionEval.errorMessage("[1, 2].transformMapEntry(i, v, {'k': v})") != nil)
    }
}
