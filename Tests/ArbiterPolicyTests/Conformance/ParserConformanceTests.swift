import ArbiterYAML
import Testing
@testable import ArbiterPolicy

/// Cerbos `parser/` cases: every document decodes to the expected policy, or fails where errors are expected.
@Suite struct ParserConformanceTests {
    static let skips: [String: String] = [:]

    @Test func parserCases_decodeToExpectedPoliciesOrFail() throws {
        let dir = try ConformanceData.cerbos("parser")
        var run = ConformanceRun(suite: "parser", skips: Self.skips)
        for caseFile in try ConformanceData.files(in: dir, suffix: ".json") {
            let spec = try YAMLParser.parse(try ConformanceData.bytes(dir + "/" + caseFile), file: caseFile)
            guard let root = spec.first else { run.record(caseFile, problem: "empty case file"); continue }
            let input = try ConformanceData.bytes(dir + "/" + caseFile + ".input")
            run.record(caseFile, problem: Self.check(root, input: input, file: caseFile + ".input"))
        }
        run.printReport()
        #expect(run.failures.isEmpty, "\(run.summary)\n\(run.failures.joined(separator: "\n"))")
        #expect(run.total == 30)
    }

    static func check(_ spec: YAMLNode, input: [UInt8], file: String) -> String? {
        let wantErrors = !(field(spec, "wantErrors")?.sequence?.isEmpty ?? true)
        let wants = field(spec, "want")?.sequence ?? []
        let documents = PolicyLoader.decodeDocuments(input, file: file)
        let gotErrors = documents.contains { doc in doc.diagnostics.contains { $0.stage <= .validation } }
        positionReport(spec, documents, file: file)
        if wantErrors != gotErrors {
            let got = documents.flatMap(\.diagnostics).map(\.description).joined(separator: "; ")
            return wantErrors ? "expected errors, got none" : "unexpected errors: \(got)"
        }
        if wantErrors, documents.count == 1, documents[0].policy == nil { return nil }
        guard wants.count == documents.count else {
            return "expected \(wants.count) documents, decoded \(documents.count)"
        }
        for (i, (want, doc)) in zip(wants, documents).enumerated() {
            let docWantsErrors = !(field(want, "errors")?.sequence?.isEmpty ?? true)
            let docHasErrors = doc.diagnostics.contains { $0.stage <= .validation }
            if docWantsErrors != docHasErrors {
                return "document \(i): expected errors \(docWantsErrors), got \(doc.diagnostics.map(\.description))"
            }
            if docWantsErrors { continue }
            guard let policy = doc.policy, let message = field(want, "message") else { return "document \(i): no policy decoded" }
            if let diff = JSONLike.difference(PolicyJSON.encode(policy), JSONLike(node: message)) {
                return "document \(i): decoded vs expected differ at \(diff)"
            }
        }
        return nil
    }

    /// Prints expected error positions Arbiter does not report at the same line and column (informational:
    /// Cerbos's positions come from a different YAML reader, so they are not part of the pass criterion).
    static func positionReport(_ spec: YAMLNode, _ documents: [(policy: Policy?, diagnostics: [Diagnostic])], file: String) {
        let got = Set(documents.flatMap(\.diagnostics).map { "\($0.line):\($0.column)" })
        for error in field(spec, "wantErrors")?.sequence ?? [] {
            guard let pos = field(error, "position"), let line = field(pos, "line")?.scalar?.value,
                  let column = field(pos, "column")?.scalar?.value else { continue }
            if !got.contains("\(line):\(column)") {
                let message = field(error, "message")?.scalar?.value ?? ""
                print("  position differs in \(file): Cerbos \(line):\(column) \(message); Arbiter \(got.sorted())")
            }
        }
    }

    static func field(_ node: YAMLNode, _ key: String) -> YAMLNode? {
        node.mapping?.first { $0.key.scalar?.value == key }?.value
    }
}
