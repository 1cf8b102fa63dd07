import Testing
@testable import CEL

/// The checker must never crash on input and must place every diagnostic: every expression of
/// the conformance suite (proto ones too) is checked against the full declarations and against
/// none at all, which drives most error paths.
@Suite struct CheckerRobustnessTests {
    @Test func everyConformanceExpression_checksWithPositionedIssuesOnly() throws {
        var options = ParserOptions.extended
        options.macros += Macro.block
        let parser = Parser(options: options)
        var checked = 0, withIssues = 0
        for file in ConformanceData.celSpecFiles() {
            for test in try ConformanceData.cases(in: file) {
                let parsed = parser.parse(test.expr)
                guard let expr = parsed.expr else { continue }
                for decls in [Declarations.standardWithExtensions(), Declarations()] {
                    let (ast, issues) = Checker.check(expr, sourceInfo: parsed.sourceInfo, declarations: decls)
                    checked += 1
                    #expect((ast == nil) == !issues.isEmpty, "\(test.file)/\(test.name)")
                    if !issues.isEmpty { withIssues += 1 }
                    for issue in issues where issue.offset < 0 || issue.line < 1 || issue.column < 1 {
                        Issue.record("\(test.file)/\(test.name): issue without position: \(issue.message)")
                    }
                }
            }
        }
        print("checker robustness: \(checked) checks, \(withIssues) with issues")
        #expect(checked > 4000)
    }
}
