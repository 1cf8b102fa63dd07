import Testing
@testable import CEL

/// Nesting and size limits: hostile input yields an issue, never a stack overflow.
@Suite struct ParserLimitTests {
    static let limitMessage = "expression recursion limit exceeded: 250"

    @Test(arguments: [
        ("(", ")"), ("[", "]"), ("f(", ")"), ("{0: ", "}"), ("a[", "]"), ("M{f: ", "}"), ("-(", ")"),
        ("x.exists(y, ", ")"), ("true ? 1 : ", ""),
    ])
    func nestingJustUnderTheLimit_parses(open: String, close: String) throws {
        let depth = 240
        let source = String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth)
        let result = ParserTestSupport.parse(source)
        #expect(result.issues.isEmpty, "\(result.issues.first.map(\.description) ?? "")")
        #expect(result.expr != nil)
    }

    @Test(arguments: ["(", "[", "f(", "{0: ", "a[", "M{f: ", "!(", "x.all(y, "])
    func nestingBeyondTheLimit_isAnIssue(open: String) {
        let source = String(repeating: open, count: 300) + "1"
        let result = ParserTestSupport.parse(source)
        #expect(result.expr == nil)
        #expect(result.issues.map(\.message).contains(Self.limitMessage))
    }

    @Test(arguments: ["[", "(", "{", "-(", "a.", "a[0]", ".b", "+a", "?a:"])
    func hostileRepetition_neverOverflowsTheStack(unit: String) {
        let source = String(repeating: unit, count: 99_000 / unit.count)
        let result = ParserTestSupport.parse(source)
        #expect(result.expr == nil)
        #expect(!result.issues.isEmpty)
    }

    @Test func longLeftAssociativeChain_beyondTheLimit_isAnIssue() {
        let source = "a" + String(repeating: " + a", count: 300)
        #expect(ParserTestSupport.parse(source).issues.map(\.message) == [Self.limitMessage])
        let selects = "a" + String(repeating: ".b", count: 300)
        #expect(ParserTestSupport.parse(selects).issues.map(\.message) == [Self.limitMessage])
    }

    @Test func longLogicalChains_areBalancedAndParse() {
        let source = "a" + String(repeating: " && a", count: 5_000)
        let result = ParserTestSupport.parse(source)
        #expect(result.issues.isEmpty)
        #expect(result.expr != nil)
    }

    @Test func evenRunsOfNegation_parseWithoutNesting() {
        let source = String(repeating: "!", count: 50_000) + "true"
        #expect(ParserTestSupport.tree(source) == "true")
    }

    @Test func customRecursionLimit_isHonoured() {
        var options = ParserOptions()
        options.maxRecursionDepth = 10
        let source = String(repeating: "(", count: 12) + "1" + String(repeating: ")", count: 12)
        #expect(Parser(options: options).parse(source).issues.map(\.message)
            == ["expression recursion limit exceeded: 10"])
    }

    @Test func expressionOverTheSizeLimit_isRejected() {
        let source = String(repeating: "1", count: 100_001)
        let result = ParserTestSupport.parse(source)
        #expect(result.expr == nil)
        #expect(result.issues.map(\.message)
            == ["expression code point size exceeds limit: size: 100001, limit 100000"])
        let atLimit = "'" + String(repeating: "é", count: 99_998) + "'"
        #expect(ParserTestSupport.parse(atLimit).issues.isEmpty)
    }
}
