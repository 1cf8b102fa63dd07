import Testing
@testable import CEL

@Suite struct ExtensionStringsTests {
    @Test(arguments: [
        ("'tacocat'.charAt(3)", "o"), ("'tacocat'.charAt(7)", ""), ("'©αT'.charAt(1)", "α"),
        ("'TacoCÆt'.lowerAscii()", "tacocÆt"), ("'tacoCαt'.upperAscii()", "TACOCαT"),
        ("'{0} days {0} hours'.replace('{0}', '2')", "2 days 2 hours"),
        ("'aaa'.replace('a', 'b', 2)", "bba"), ("'ab'.replace('', '-')", "-a-b-"), ("'ab'.replace('', '-', 2)", "-a-b"),
        ("'tacocat'.substring(4)", "cat"), ("'ta©o©αT'.substring(2, 6)", "©o©α"),
        ("' \\f\\n\\r\\t\\vtext\\u00a0\\u3000'.trim()", "text"), ("'\\u200btext'.trim()", "\u{200B}text"),
        ("['x', 'y'].join()", "xy"), ("['x', 'y'].join('-')", "x-y"), ("[].join('-')", ""),
        ("'Ta©oCαt'.reverse()", "tαCo©aT"), ("strings.quote('a\\n\"b\\\\')", "\"a\\n\\\"b\\\\\""),
    ])
    func stringFunction_returnsCelGoResult(source: String, expected: String) {
        #expect(ExtensionEval.eval(source) == .string(expected))
    }

    @Test(arguments: [
        ("'tacocat'.indexOf('')", 0), ("'tacocat'.indexOf('', 3)", 3), ("'tacocat'.indexOf('a', 3)", 5),
        ("'ta©o©αT'.indexOf('©', 3)", 4), ("'tacocat'.indexOf('a', 30)", -1),
        ("'tacocat'.lastIndexOf('')", 7), ("'tacocat'.lastIndexOf('a', 3)", 1), ("''.lastIndexOf('@@')", -1),
        ("'bananananana'.lastIndexOf('nana', 7)", 6), ("'tacocat'.lastIndexOf('a', 30)", -1),
    ])
    func indexFunctions_countCodePoints(source: String, expected: Int64) {
        #expect(ExtensionEval.eval(source) == .int(expected))
    }

    @Test(arguments: [
        ("'hello world'.split(' ')", ["hello", "world"]), ("'a,b,c'.split(',', 2)", ["a", "b,c"]),
        ("'a,b'.split(',', 0)", []), ("'o©o'.split('')", ["o", "©", "o"]), ("'abc'.split('', 2)", ["a", "bc"]),
        ("''.split(',')", [""]),
    ])
    func split_followsGoSplitN(source: String, expected: [String]) {
        #expect(ExtensionEval.eval(source) == .list(expected.map { .string($0) }))
    }

    @Test(arguments: [
        ("'tacocat'.charAt(30)", "index out of range: 30"), ("'tacocat'.charAt(-1)", "index out of range: -1"),
        ("'tacocat'.indexOf('a', -1)", "index out of range: -1"),
        ("'tacocat'.substring(40)", "index out of range: 40"),
        ("'tacocat'.substring(4, 3)", "invalid substring range. start: 4, end: 3"),
        ("'tacocat'.substring(1, 50)", "index out of range: 50"),
    ])
    func outOfRangeIndexes_areErrors(source: String, message: String) {
        #expect(ExtensionEval.errorMessage(source) == message)
    }
}
