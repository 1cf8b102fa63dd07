import ArbiterEngine
import ArbiterPolicy
import ArbiterYAML
import CEL
import Foundation
import Testing

/// The tree, JSON and JUnit renderings of test results.
@Suite struct VerifyOutputFormatTests {
    func results() throws -> TestResults {
        let runner = TestRunner(policySet: try VerifySupport.notePolicySet())
        return TestResults(suites: [runner.run(try VerifySupport.suite(VerifySupport.noteSuite), fixtures: TestFixtures())])
    }

    @Test func json_hasCerbosTestResultsShape() throws {
        let text = try results().jsonText()
        let doc = try #require(try YAMLParser.parse(text, file: "results.json").first)
        guard case let .map(root) = doc.protobufValue,
              case let .map(summary)? = root[string: "summary"],
              case let .list(suites)? = root[string: "suites"], case let .map(suite)? = suites.first,
              case let .list(cases)? = suite[string: "testCases"], case let .map(first)? = cases.first else {
            Issue.record("unexpected JSON shape: \(text)")
            return
        }
        #expect(summary[string: "overallResult"] == .string("RESULT_ERRORED"))
        #expect(summary[string: "testsCount"] == .double(8))
        #expect(suite[string: "file"] == .string("note_test.yaml") && suite[string: "name"] == .string("Notes"))
        #expect(first[string: "name"] == .string("owner writes"))
        #expect(text.contains("\"success\": {\n") && text.contains("\"effect\": \"EFFECT_ALLOW\""))
        #expect(text.contains("\"failure\": {") && text.contains("\"mismatched\": {"))
        #expect(text.contains("\"error\": \"a policy used a time-based condition, but `now` was not provided in the test options\""))
        #expect(text.contains("\"skipReason\": \"not today\""))
    }

    @Test func tree_showsFailuresAndSummary_withColourOnlyWhenAsked() throws {
        let r = try results()
        let plain = r.treeText()
        #expect(plain.contains("Notes (note_test.yaml) [ERROR]"))
        #expect(plain.contains("  owner writes [OK]"))
        #expect(plain.contains("write [FAILED] expected EFFECT_ALLOW, got EFFECT_DENY"))
        #expect(plain.contains("8 tests executed: 1 errored, 2 failed, 4 passed, 1 skipped [ERROR]"))
        #expect(!plain.contains("\u{1B}["))
        #expect(r.treeText(colour: true).contains("\u{1B}[31mFAILED\u{1B}[0m"))
    }

    @Test func junit_isWellFormedWithOneCasePerAction() throws {
        let xml = try results().junitText()
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"8\" failures=\"2\" errors=\"1\" skipped=\"1\">"))
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == 8)
        #expect(xml.contains("<testcase name=\"owner writes - ann.note1.write\" classname=\"note_test.yaml\"></testcase>"))
        #expect(xml.contains("<skipped message=\"not today\"></skipped>"))
        #expect(xml.contains("<failure message=\"failed\" type=\"failure\">"))
        #expect(xml.contains("`now` was not provided"))
        #expect(xml.hasSuffix("</testsuites>\n"))
    }

    @Test func junit_escapesMarkup() throws {
        var suite = try VerifySupport.suite(VerifySupport.noteSuite)
        suite.name = "a <b> & \"c\""
        suite.skip = true
        let xml = TestResults(suites: [TestRunner(policySet: try VerifySupport.notePolicySet()).run(suite, fixtures: TestFixtures())]).junitText()
        #expect(xml.contains("name=\"a &lt;b&gt; &amp; &quot;c&quot;\""))
    }
}
