import ArbiterPolicy
import CEL

/// The machine-readable documents `arbiter compile --output json|junit` prints when the policies
/// do not compile, so that a CI job reading standard output gets a complete document whatever
/// the outcome. The JSON has the shape of the test results (`suites` empty, `summary` with
/// `RESULT_ERRORED`) plus `compileErrors`; the JUnit has one `<testsuite name="compile">` with a
/// failing `<testcase>` per diagnostic.
public struct CompileFailureReport: Sendable {
    /// What the compiler found, in the order to print.
    public var diagnostics: [Diagnostic]
    /// The policy directory, as given on the command line.
    public var directory: String

    /// Creates a report.
    public init(diagnostics: [Diagnostic], directory: String) {
        self.diagnostics = diagnostics
        self.directory = directory
    }

    /// `{"compileErrors": [{file, line, column, path, message}], "suites": [], "summary": {...}}`.
    public func jsonText() -> String {
        let errors = diagnostics.map { d in
            TestResults.object([("file", .string(d.file)),
                                ("line", d.line > 0 ? .int(Int64(d.line)) : nil),
                                ("column", d.column > 0 ? .int(Int64(d.column)) : nil),
                                ("path", TestResults.nonEmpty(d.path)),
                                ("message", .string(d.message))])
        }
        let summary = TestResults.object([("overallResult", .string(TestResultKind.errored.protoName)),
                                          ("compileErrorCount", .int(Int64(diagnostics.count)))])
        let document = TestResults.object([("directory", .string(directory)), ("compileErrors", .list(errors)),
                                           ("suites", .list([])), ("summary", summary)])
        return JSONText.render(document, pretty: true, sortKeys: false) + "\n"
    }

    /// JUnit XML with one failing test case per diagnostic, named `file:line:column`.
    public func junitText() -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites tests=\"\(diagnostics.count)\" failures=\"0\" errors=\"\(diagnostics.count)\" skipped=\"0\">\n"
        out += "  <testsuite name=\"compile\" file=\(TestResults.xmlAttribute(directory)) tests=\"\(diagnostics.count)\""
        out += " failures=\"0\" errors=\"\(diagnostics.count)\" skipped=\"0\">\n"
        for d in diagnostics {
            let position = d.line > 0 ? "\(d.file):\(d.line):\(d.column)" : d.file
            out += "    <testcase name=\(TestResults.xmlAttribute(position)) classname=\(TestResults.xmlAttribute(d.file))>\n"
            out += "      <error message=\(TestResults.xmlAttribute(d.message)) type=\"compile\">"
            out += TestResults.xmlText(d.path.isEmpty ? d.message : "\(d.path): \(d.message)")
            out += "</error>\n    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }
}
