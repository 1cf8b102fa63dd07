import Testing
@testable import CEL

/// Syntax errors: positions, wording and rendering as cel-go prints them.
@Suite struct ParserErrorTests {
    static let expressionStart = "{'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}"

    private func rendered(_ source: String) -> String {
        ParserTestSupport.parse(source).renderedIssues(source: source)
    }

    @Test func missingOperand_atEnd_isMismatchedEOF() {
        #expect(rendered("a +") == """
            ERROR: <input>:1:4: Syntax error: mismatched input '<EOF>' expecting \(Self.expressionStart)
             | a +
             | ...^
            """)
    }

    @Test func unknownCharacter_isReportedThenParsingContinues() {
        #expect(rendered("1 + $") == """
            ERROR: <input>:1:5: Syntax error: token recognition error at: '$'
             | 1 + $
             | ....^
            ERROR: <input>:1:6: Syntax error: mismatched input '<EOF>' expecting \(Self.expressionStart)
             | 1 + $
             | .....^
            """)
    }

    @Test func singlePipe_isATokenErrorAndTheRestExtraneous() {
        #expect(rendered("a | b") == """
            ERROR: <input>:1:3: Syntax error: token recognition error at: '| '
             | a | b
             | ..^
            ERROR: <input>:1:5: Syntax error: extraneous input 'b' expecting <EOF>
             | a | b
             | ....^
            """)
    }

    @Test func errorOnSecondLine_reportsLineAndColumnOfThatLine() {
        #expect(rendered("1 + 2\n3 +") == """
            ERROR: <input>:2:1: Syntax error: mismatched input '3' expecting <EOF>
             | 3 +
             | ^
            """)
    }

    @Test func strayLeadingToken_isExtraneousAndSkipped() {
        #expect(rendered("*a") == """
            ERROR: <input>:1:1: Syntax error: extraneous input '*' expecting \(Self.expressionStart)
             | *a
             | ^
            """)
    }

    @Test func missingClosingParen_isInserted() {
        #expect(rendered("(a + b") == """
            ERROR: <input>:1:7: Syntax error: missing ')' at '<EOF>'
             | (a + b
             | ......^
            """)
    }

    @Test func selectOfAString_expectsAnIdentifier() {
        let result = ParserTestSupport.parse(#"{"a": 1}."a""#)
        #expect(result.issues.first?.message
            == #"Syntax error: mismatched input '"a"' expecting {IDENTIFIER, ESC_IDENTIFIER}"#)
        #expect(result.issues.first?.column == 10)
    }

    @Test func wideCharacters_useWideDotsAndCaret() {
        let source = "'😁' in ['😁'] \n&& in.😁"
        #expect(rendered(source) == """
            ERROR: <input>:2:4: Syntax error: extraneous input 'in' expecting \(Self.expressionStart)
             | && in.😁
             | ...^
            ERROR: <input>:2:7: Syntax error: token recognition error at: '😁'
             | && in.😁
             | ......\u{FF3E}
            ERROR: <input>:2:8: Syntax error: missing IDENTIFIER at '<EOF>'
             | && in.😁
             | ......\u{FF0E}^
            """)
    }

    @Test func tabs_renderAsSpacesAndColumnsCountScalars() {
        let source = "\t'é' + $"
        let result = ParserTestSupport.parse(source)
        #expect(result.issues.first?.line == 1)
        #expect(result.issues.first?.column == 8)
        #expect(result.issues.first?.offset == 7)
        #expect(result.renderedIssues(source: source).hasPrefix("""
            ERROR: <input>:1:8: Syntax error: token recognition error at: '$'
             |  'é' + $
             | ..\u{FF0E}....^
            """))
    }

    @Test func description_namesTheSourceInDiagnostics() {
        let result = Parser().parse("a +", description: "policy.yaml")
        #expect(result.renderedIssues(source: "a +").hasPrefix("ERROR: policy.yaml:1:4:"))
    }

    @Test func invalidEscape_isATokenRecognitionErrorAndLexingResumesAfterIt() {
        let source = #""\xFh""#
        #expect(rendered(source) == """
            ERROR: <input>:1:1: Syntax error: token recognition error at: '"\\xFh'
             | "\\xFh"
             | ^
            ERROR: <input>:1:6: Syntax error: token recognition error at: '"'
             | "\\xFh"
             | .....^
            ERROR: <input>:1:7: Syntax error: mismatched input '<EOF>' expecting \(Self.expressionStart)
             | "\\xFh"
             | ......^
            """)
    }

    @Test(arguments: ["", "   ", "// only a comment", ")", "a b c", "[1, 2", "{1: }", "a.", "a[1", "f(1,)",
                      "Msg{f 1}", "a ? b", "`x`", "a.`b", "1 + + 2", "!", "-", "{?}", "[?]", "a.?", "\u{0}"])
    func malformedInput_yieldsIssuesAndNoTree(source: String) {
        let result = ParserTestSupport.parse(source)
        #expect(result.expr == nil)
        #expect(!result.issues.isEmpty)
        for issue in result.issues {
            #expect(issue.line >= 1 && issue.column >= 1, "\(issue)")
        }
    }

    @Test func manyLexicalErrors_stopAtTheReportingLimit() {
        let source = String(repeating: "$ ", count: 500) + "a"
        let result = ParserTestSupport.parse(source)
        #expect(result.expr == nil)
        #expect(result.issues.count == 101)
        #expect(result.issues.last?.message == "Syntax error: More than 100 syntax errors")
    }

    @Test func manyRecoveries_stopAtTheRecoveryLimit() {
        let source = "[" + Array(repeating: "*1", count: 40).joined(separator: ", ") + "]"
        let result = ParserTestSupport.parse(source)
        #expect(result.expr == nil)
        #expect(result.issues.count == 31)
        #expect(result.issues.last?.message == "Syntax error: error recovery attempt limit exceeded: 30")
    }
}
