import ArbiterJSON
import CELProtoJSON
import Foundation
@testable import CEL
import Testing

/// Type-checks every no-proto test of the cel-spec suite that the reference runner checks
/// (all but `disableCheck` ones) against the standard declarations plus its `typeEnv` in its
/// `container`, as cel-go's conformance runner does: a check error fails the test. For
/// `typedResult` tests the deduced type must equal `deducedType`.
@Suite struct CheckerConformanceTests {
    /// Files whose tests need declarations this target does not provide; each with the reason.
    static let skippedFiles: [String: String] = [:]

    /// Individual tests expected to fail, keyed `file/section/name`, each with the reason.
    static let skipList: [String: String] = [:]

    @Test func noProtoConformanceTests_typeCheckAsCelGoDoes() throws {
        let files = ConformanceData.celSpecFiles()
        var grandTotal = 0
        var stale: [String] = []
        for file in files {
            let fileName = file.deletingPathExtension().lastPathComponent
            let cases = try ConformanceData.cases(in: file)
            var passed = 0, total = 0, skipped = 0
            for test in cases where !test.flag("needsProto") && !test.flag("disableCheck") {
                total += 1
                let key = "\(test.file)/\(test.section)/\(test.name)"
                if let reason = Self.skippedFiles[fileName] {
                    _ = reason
                    skipped += 1
                    continue
                }
                let failure = Self.run(test)
                if let failure {
                    if Self.skipList[key] != nil {
                        skipped += 1
                    } else {
                        Issue.record("\(key): \(failure)\n  expr: \(test.expr)")
                    }
                } else {
                    passed += 1
                    if Self.skipList[key] != nil { stale.append(key) }
                }
            }
            grandTotal += total
            let note = Self.skippedFiles[fileName].map { " (file skipped: \($0))" } ?? ""
            print("checker conformance \(fileName): \(passed)/\(total) passed, \(skipped) skipped\(note)")
        }
        #expect(stale.isEmpty, "skip-list entries that now pass: \(stale)")
        #expect(grandTotal > 1500, "expected the no-proto checked tests (about 1600), found \(grandTotal)")
    }

    /// nil when the test passes, else why it failed.
    static func run(_ test: ConformanceData.Case) -> String? {
        var options = ParserOptions.extended
        options.macros += Macro.block
        if test.flag("disableMacros") { options.enableMacros = false }
        let parsed = Parser(options: options).parse(test.expr)
        guard let expr = parsed.expr else { return "parse failed: \(parsed.issues)" }
        var decls = Declarations.standardWithExtensions()
        do {
            try decls.add(protoJSONDecls: test.json[member: "typeEnv"])
        } catch {
            return "bad typeEnv: \(error)"
        }
        let container = test.json[member: "container"]?.jsonString ?? ""
        let (checked, issues) = Checker.check(expr, sourceInfo: parsed.sourceInfo, declarations: decls,
                                              container: container)
        guard let checked else {
            // A test that expects exactly this error (network_ext's `*_compile_error`) passes on it.
            let expected = (test.json[member: "evalError"]?[member: "errors"]?.jsonArray ?? [])
                .compactMap { $0[member: "message"]?.jsonString }
            if !expected.isEmpty, issues.allSatisfy({ expected.contains($0.message) }) { return nil }
            return "check failed: \(issues.map(\.description).joined(separator: "; "))"
        }
        if let deduced = test.json[member: "typedResult"]?[member: "deducedType"] {
            do {
                let expected = try CheckedType(protoJSON: deduced)
                if checked.resultType != expected {
                    return "deduced type \(checked.resultType), expected \(expected)"
                }
            } catch {
                return "bad deducedType: \(error)"
            }
        }
        return nil
    }
}
