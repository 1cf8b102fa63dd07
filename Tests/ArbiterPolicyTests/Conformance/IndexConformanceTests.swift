import ArbiterYAML
import Testing
@testable import ArbiterPolicy

/// Cerbos `index/` cases: a file set that should fail to index yields diagnostics, a valid one none.
@Suite struct IndexConformanceTests {
    static let skips: [String: String] = [:]

    @Test func indexCases_reportErrorsExactlyWhenExpected() throws {
        let dir = try ConformanceData.cerbos("index")
        var run = ConformanceRun(suite: "index", skips: Self.skips)
        for caseFile in try ConformanceData.files(in: dir, suffix: ".yaml") {
            let spec = try YAMLParser.parse(try ConformanceData.bytes(dir + "/" + caseFile), file: caseFile)
            guard let root = spec.first else { run.record(caseFile, problem: "empty case file"); continue }
            run.record(caseFile, problem: Self.check(root))
        }
        run.printReport()
        #expect(run.failures.isEmpty, "\(run.summary)\n\(run.failures.joined(separator: "\n"))")
        #expect(run.total == 18)
    }

    static func check(_ spec: YAMLNode) -> String? {
        let errList = ParserConformanceTests.field(spec, "wantErrList")?.mapping ?? []
        // Disabled definitions are listed for information; alone they are not a failure.
        let wantErrors = errList.contains { $0.key.scalar?.value != "disabledDefs" && !($0.value.sequence?.isEmpty ?? true) }
            || ParserConformanceTests.field(spec, "wantErr")?.scalar.map { !$0.value.isEmpty } == true
        let files = (ParserConformanceTests.field(spec, "files")?.mapping ?? []).map { pair in
            (path: pair.key.scalar?.value ?? "", contents: Array((pair.value.scalar?.value ?? "").utf8))
        }
        let result = PolicyLoader.load(files: files)
        let diagnostics = result.diagnostics(upTo: .index)
        if wantErrors && diagnostics.isEmpty { return "expected index errors, got none" }
        if !wantErrors && !diagnostics.isEmpty { return "unexpected: \(diagnostics.map(\.description))" }
        // Each expected error must show up in the file Cerbos blames (or, for missing scopes, name the missing policy).
        let blamed = Set(diagnostics.map(\.file))
        for entry in errList {
            let kind = entry.key.scalar?.value ?? ""
            for item in entry.value.sequence ?? [] {
                let value = { (key: String) in ParserConformanceTests.field(item, key)?.scalar?.value }
                switch kind {
                case "loadFailures", "duplicateDefs":
                    if let file = value("file"), !blamed.contains(file) { return "\(kind): no diagnostic for \(file)" }
                case "missingImports":
                    if let file = value("importingFile"), let name = value("importName"),
                       !diagnostics.contains(where: { $0.file == file && $0.message.contains("'\(name)'") }) {
                        return "missingImports: no diagnostic for \(name) in \(file)"
                    }
                case "missingScopeDetails":
                    if let key = value("missingPolicy"), !diagnostics.contains(where: { $0.message.contains("\"\(key)\"") }) {
                        return "missingScopeDetails: \(key) not reported"
                    }
                case "disabledDefs":
                    if let file = value("file"), !result.disabledPolicies.contains(where: { $0.file == file }) {
                        return "disabledDefs: \(file) not recognised as disabled"
                    }
                default:
                    return "unknown expectation kind \(kind)"
                }
            }
        }
        return nil
    }
}
