import Testing
@testable import ArbiterPolicy

@Suite struct DiagnosticRendererTests {
    private let source = "apiVersion: api.cerbos.dev/v1\nresourcePolicy:\n  foo: bar\n"

    @Test func render_showsLocationMessageSourceLineAndCaret() {
        let renderer = DiagnosticRenderer(sourceProvider: { [source] file in file == "a.yaml" ? source : nil })
        let out = renderer.render([Diagnostic(file: "a.yaml", line: 3, column: 3, message: "unknown field \"foo\"", stage: .parse)])
        #expect(out == "a.yaml:3:3: unknown field \"foo\"\n    foo: bar\n    ^\n")
    }

    @Test func render_sortsAndDeduplicates() {
        let d1 = Diagnostic(file: "b.yaml", line: 1, column: 1, message: "x", stage: .parse)
        let d2 = Diagnostic(file: "a.yaml", line: 9, column: 2, message: "y", stage: .parse)
        let d3 = Diagnostic(file: "a.yaml", line: 2, column: 5, message: "z", stage: .index)
        let out = DiagnosticRenderer().render([d1, d2, d3, d1])
        #expect(out == "a.yaml:2:5: z\na.yaml:9:2: y\nb.yaml:1:1: x\n")
    }

    @Test func render_capsWithMoreCount() {
        let many = (1...5).map { Diagnostic(file: "f.yaml", line: $0, column: 1, message: "m", stage: .parse) }
        let out = DiagnosticRenderer(limit: 2).render(many)
        #expect(out == "f.yaml:1:1: m\nf.yaml:2:1: m\n3 more\n")
    }

    @Test func render_positionlessDiagnostic_hasNoCaret() {
        let d = Diagnostic(file: "policies/_schemas", line: 0, column: 0, message: PolicyPathRules.schemasInWrongPlace, stage: .index)
        #expect(DiagnosticRenderer(sourceProvider: { _ in "x" }).render([d]) == "policies/_schemas: \(PolicyPathRules.schemasInWrongPlace)\n")
    }

    @Test(arguments: ["\r\n", "\r", "\n"])
    func render_findsTheLine_whateverTheLineEndings(ending: String) {
        let text = ["apiVersion: api.cerbos.dev/v1", "resourcePolicy:", "  foo: bar", ""].joined(separator: ending)
        let renderer = DiagnosticRenderer(sourceProvider: { _ in text })
        let out = renderer.render([Diagnostic(file: "a.yaml", line: 3, column: 3, message: "m", stage: .parse)])
        #expect(out == "a.yaml:3:3: m\n    foo: bar\n    ^\n")
    }

    @Test func render_keepsTabsSoTheCaretLinesUp() {
        let renderer = DiagnosticRenderer(sourceProvider: { _ in "\tkey: v\n" })
        let out = renderer.render([Diagnostic(file: "t", line: 1, column: 3, message: "m", stage: .parse)])
        #expect(out == "t:1:3: m\n  \tkey: v\n  \t ^\n")
    }
}

@Suite struct DiagnosticNormalizeTests {
    @Test func sameMessageAtSamePlace_fromDifferentStages_isReportedOnce() {
        let a = Diagnostic(file: "f", line: 1, column: 2, path: "x", message: "m", stage: .parse)
        let b = Diagnostic(file: "f", line: 1, column: 2, path: "y", message: "m", stage: .compile)
        #expect(Diagnostic.normalize([a, b]) == [a])
    }
}
