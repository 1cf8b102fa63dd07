import Foundation
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

/// Parsing at the nesting limit must fit in a small thread stack: event-loop and task threads
/// are not the 8 MiB main thread. A nesting level costs about 1 KiB in a release build and about
/// 4.5 KiB in a debug build, so the budget is 512 KiB for release and 2 MiB for debug.
@Suite struct ParserStackTests {
    final class Box: @unchecked Sendable {
        var results: [Bool] = []
    }

    #if DEBUG
    static let stackSize = 2 * 1024 * 1024
    #else
    static let stackSize = 512 * 1024
    #endif

    @Test func parsingAtTheNestingLimit_fitsInASmallThreadStack() async {
        let box = Box()
        let sources = [("[", "]"), ("f(", ")"), ("x.all(y, ", ")"), ("{0: ", "}"), ("M{f: ", "}"), ("a[", "]"),
                       ("(", ")"), ("-(", ")"), ("a.b(", ")")].map { open, close in
            String(repeating: open, count: 248) + "1" + String(repeating: close, count: 248)
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                for source in sources {
                    box.results.append(Parser(options: .extended).parse(source).issues.isEmpty)
                }
                continuation.resume()
            }
            thread.stackSize = Self.stackSize
            thread.start()
        }
        #expect(box.results == Array(repeating: true, count: sources.count))
    }
}
