import ArbiterYAML
import Testing
@testable import ArbiterPolicy

/// Cerbos `compile/` cases: structural, import, redefinition and ancestor errors are found; valid sets give none.
@Suite struct CompileConformanceTests {
    static let needsCEL = "needs the CEL compile step (issue 5)"
    static let skips: [String: String] = [
        "bad_cel_expr.yaml": needsCEL + ": the expression has a CEL syntax error",
        "bad_constants.yaml": needsCEL + ": undefined constants are found by checking expressions",
        "bad_variables.yaml": needsCEL + ": undefined and cyclic variables are found by checking expressions",
        "yaml_comment_in_condition.yaml": needsCEL + ": `#` inside a block-scalar expression is a CEL syntax error",
        "variables_index_lookup.yaml": needsCEL + ": indexing V/C/G with [] is a CEL type error",
        "invalid_schemas.yaml": "needs JSON Schema compilation of `_schemas/` files (issue 5)",
        "missing_schemas.yaml": "needs the schema loader that resolves cerbos:/// refs against `_schemas/` (issue 5)",
    ]

    @Test func compileCases_reportErrorsExactlyWhenExpected() throws {
        let dir = try ConformanceData.cerbos("compile")
        var run = ConformanceRun(suite: "compile", skips: Self.skips)
        for caseFile in try ConformanceData.files(in: dir, suffix: ".yaml") {
            let spec = try YAMLParser.parse(try ConformanceData.bytes(dir + "/" + caseFile), file: caseFile)
            guard let root = spec.first else { run.record(caseFile, problem: "empty case file"); continue }
            let archive = Txtar(String(decoding: try ConformanceData.bytes(dir + "/" + caseFile + ".input"), as: UTF8.self))
            run.record(caseFile, problem: Self.check(root, archive))
        }
        run.printReport()
        #expect(run.failures.isEmpty, "\(run.summary)\n\(run.failures.joined(separator: "\n"))")
        #expect(run.total == 30)
    }

    static func check(_ spec: YAMLNode, _ archive: Txtar) -> String? {
        let wantErrors = !(ParserConformanceTests.field(spec, "wantErrors")?.sequence?.isEmpty ?? true)
        let result = PolicyLoader.load(files: archive.files.map { (path: $0.name, contents: Array($0.contents.utf8)) })
        if wantErrors && result.diagnostics.isEmpty { return "expected compile errors, got none" }
        if !wantErrors && !result.diagnostics.isEmpty { return "unexpected: \(result.diagnostics.map(\.description))" }
        return nil
    }
}
