import Foundation
import Testing
@testable import CEL

/// Every expression of the cel-spec conformance suite (proto ones included: they are valid
/// syntax) must parse without issues with every macro group (`ParserOptions.extended`) plus the `cel.block`
/// macros of cel-go's conformance runner.
@Suite struct ParserConformanceTests {
    @Test func everyConformanceExpression_parsesWithoutIssues() throws {
        let files = ConformanceData.celSpecFiles()
        var total = 0
        for file in files {
            let cases = try ConformanceData.cases(in: file)
            var passed = 0
            for test in cases {
                var options = ParserOptions.extended
                options.macros += Macro.block
                if test.flag("disableMacros") { options.enableMacros = false }
                let result = Parser(options: options).parse(test.expr)
                if result.issues.isEmpty && result.expr != nil {
                    passed += 1
                } else {
                    Issue.record("""
                        \(test.file)/\(test.section)/\(test.name) failed to parse:
                        \(result.renderedIssues(source: test.expr))
                        """)
                }
            }
            total += cases.count
            print("parser conformance \(file.lastPathComponent): \(passed)/\(cases.count)")
        }
        #expect(total > 2000, "expected the whole suite (2456 tests), found \(total)")
    }
}
