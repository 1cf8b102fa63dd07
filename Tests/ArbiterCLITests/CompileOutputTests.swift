import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import ArbiterCLI
import ArbiterEngine
import CEL
import Logging

/// `arbiter compile`'s machine-readable output when the policies do not compile, the Cerbos
/// test filter, and the daemon's log line formats.
@Suite struct CompileOutputTests {
    static let broken = "apiVersion: api.cerbos.dev/v1\nresourcePolicy:\n  resource: x\n  version: default\n  rulez: []\n"

    func run(_ directory: String, output: CompileCommand.OutputFormat, testFilters: [String] = [])
        -> (status: Int32, out: String, err: String) {
        var out = ""
        var err = ""
        let status = CompileCommand.execute(directory: directory, tests: nil, runPattern: nil, testFilters: testFilters,
                                            output: output, skipTests: false, write: { out += $0 }, writeError: { err += $0 })
        return (status, out, err)
    }

    func directory(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: root.appendingPathComponent(name)) }
        return root.path
    }

    @Test func jsonOutput_ofPoliciesThatDoNotCompile_isOneDocumentWithEveryDiagnostic() throws {
        let dir = try directory(["bad.yaml": Self.broken])
        let result = run(dir, output: .json)
        #expect(result.status == 3)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let errors = try #require(document["compileErrors"] as? [[String: Any]])
        #expect(errors.count == 1)
        #expect(errors.first?["file"] as? String == "bad.yaml")
        #expect(errors.first?["line"] as? Int == 5 && errors.first?["column"] as? Int == 3)
        #expect((errors.first?["message"] as? String)?.contains("rulez") == true)
        #expect((document["summary"] as? [String: Any])?["overallResult"] as? String == "RESULT_ERRORED")
    }

    @Test func junitOutput_ofPoliciesThatDoNotCompile_hasAFailingCasePerDiagnostic() throws {
        let dir = try directory(["bad.yaml": Self.broken, "worse.yaml": "apiVersion: api.cerbos.dev/v1\nresourcePolicy: ["])
        let result = run(dir, output: .junit)
        #expect(result.status == 3)
        let xml = try XMLDocument(xmlString: result.out)
        let cases = try xml.nodes(forXPath: "//testcase")
        #expect(cases.count >= 2)
        #expect(try xml.nodes(forXPath: "//testcase/error").count == cases.count)
        #expect(result.out.contains("name=\"bad.yaml:5:3\""))
    }

    @Test func testFilter_runsOnlyMatchingActions_andSkipsTheRest() throws {
        let policy = "apiVersion: api.cerbos.dev/v1\nresourcePolicy:\n  resource: x\n  version: default\n  rules:\n    - actions: [a]\n      effect: EFFECT_ALLOW\n      roles: [r]\n"
        let suite = "name: S\nprincipals:\n  p: {id: p, roles: [r]}\nresources:\n  x: {kind: x, id: x1}\ntests:\n  - name: T\n    input: {principals: [p], resources: [x], actions: [a, b]}\n    expected:\n      - {principal: p, resource: x, actions: {a: EFFECT_ALLOW, b: EFFECT_ALLOW}}\n"
        let dir = try directory(["x.yaml": policy, "x_test.yaml": suite])
        // b is expected ALLOW but is denied: it fails unless the filter leaves it out.
        #expect(run(dir, output: .json).status == 4)
        let filtered = run(dir, output: .json, testFilters: ["action=a"])
        #expect(filtered.status == 0, "\(filtered.out)")
        #expect(filtered.out.contains("RESULT_SKIPPED") && filtered.out.contains("RESULT_PASSED"))
        #expect(run(dir, output: .json, testFilters: ["suite=Other*"]).out.contains("Excluded by the test filter"))
        #expect(run(dir, output: .json, testFilters: ["test=T", "principal=p;resource=x"]).status == 4)
    }

    @Test func jsonLogLines_carryCerbosFieldNames_andDiagnosticsAsAnArray() throws {
        let now = try #require(Timestamp(rfc3339: "2026-12-07T01:02:03Z"))
        let line = JSONLogLine.line(level: .error, label: "arbiter", message: "policy reload failed",
                                       metadata: ["diagnostics": .array([.string("a.yaml:1:1: bad\n  x\n  ^"), .string("b")]),
                                                  "trigger": "inotify"], now: now)
        #expect(line.hasSuffix("\n") && line.dropLast().split(separator: "\n").count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["log.level"] as? String == "error")
        #expect(object["@timestamp"] as? String == "2026-12-07T01:02:03Z")
        #expect(object["message"] as? String == "policy reload failed")
        #expect((object["diagnostics"] as? [String])?.count == 2)
    }

    @Test func textLogLines_keepOneEventOnOneLine() throws {
        let now = try #require(Timestamp(rfc3339: "2026-12-07T01:02:03Z"))
        let line = TextLogLine.line(level: .error, label: "arbiter", message: "reload failed",
                                       metadata: ["diagnostics": .array([.string("a.yaml:1:1: bad\n  x\n  ^")])], now: now)
        #expect(line == "2026-12-07T01:02:03Z error arbiter: reload failed diagnostics=[a.yaml:1:1: bad\\n  x\\n  ^]\n")
    }
}
