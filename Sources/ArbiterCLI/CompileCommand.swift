import ArbiterEngine
import ArbiterPolicy
import ArgumentParser
import CEL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `arbiter compile DIR`: validates a policy directory and runs its test suites, like `cerbos compile`.
public struct CompileCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile the policies in a directory and run their test suites.",
        usage: """
        arbiter compile DIR [--tests DIR] [--run REGEX] [--test-filter FILTER...]
                        [--output tree|json|junit] [--skip-tests] [--verbose]
        """,
        discussion: """
        Exit status: 0 the policies compile and every test passes; 2 usage error; 3 the policies \
        do not compile; 4 a test failed or errored; 5 the directory is missing or unreadable. \
        With --output json or junit, standard output always holds one complete document, the \
        compile errors included.

        Test filter (as cerbos compile):

          --test-filter 'suite=Album*;test=*view*;principal=alice'

        takes comma-separated shell globs per dimension (suite, test, principal, resource, \
        action); repeat the flag to add more. Tests filtered out are reported as SKIPPED.
        """
    )

    /// Result formats.
    public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
        case tree, json, junit
    }

    @Argument(help: "The policy directory.")
    public var directory: String

    @Option(name: .long, help: "Read test suites from this directory instead of the policy directory.")
    public var tests: String?

    @Option(name: .customLong("run"), help: "Only run tests whose name matches this regular expression (RE2).")
    public var runPattern: String?

    @Option(name: .customLong("test-filter"), help: "dimension=glob[,glob...][;...]: run only matching tests (see below).")
    public var testFilters: [String] = []

    @Option(name: .long, help: "Result format: tree, json or junit.")
    public var output: OutputFormat = .tree

    @Flag(name: .long, help: "Only compile; do not run tests.")
    public var skipTests = false

    @Flag(name: .long, help: "Show every action in the tree, not only failing ones.")
    public var verbose = false

    @Flag(name: .long, help: "Never colour the tree output.")
    public var noColor = false

    public init() {}

    public func run() throws {
        let status = Self.execute(directory: directory, tests: tests, runPattern: runPattern, testFilters: testFilters,
                                  output: output,
                                  skipTests: skipTests, verbose: verbose,
                                  colour: !noColor && isatty(STDOUT_FILENO) == 1,
                                  write: { print($0, terminator: "") },
                                  writeError: { Self.standardError($0) })
        if status != 0 { throw ExitCode(status) }
    }

    /// The whole command, with output sinks injected so tests can run it; returns the exit status.
    public static func execute(directory: String, tests: String?, runPattern: String?, testFilters: [String] = [],
                               output: OutputFormat, skipTests: Bool, verbose: Bool = false, colour: Bool = false,
                               write: (String) -> Void, writeError: (String) -> Void) -> Int32 {
        // Flags first, so that a typo is reported before minutes of compiling.
        var filter = TestFilter()
        if let runPattern {
            do {
                filter = try TestFilter(run: runPattern)
            } catch {
                writeError("arbiter compile: --run: invalid regular expression \"\(runPattern)\": \(error)\n")
                return ExitStatus.usage
            }
        }
        for text in testFilters {
            do {
                try filter.addTestFilter(text)
            } catch {
                writeError("arbiter compile: --test-filter \(error)\n")
                return ExitStatus.usage
            }
        }
        if let problem = directoryProblem(directory) {
            writeError("arbiter compile: \(directory): \(problem)\n")
            return ExitStatus.unreadableDirectory
        }
        let load = PolicyLoader.load(directory: directory)
        let compiled = PolicyCompiler(expressionCompiler: policyExpressionCompiler()).compile(load)
        guard let policySet = compiled.policySet else {
            writeError(DiagnosticRenderer.forDirectory(directory).render(compiled.diagnostics))
            writeError("\(directory): the policies do not compile (\(compiled.diagnostics.count) problem(s))\n")
            let report = CompileFailureReport(diagnostics: compiled.diagnostics, directory: directory)
            switch output {
            case .tree: break
            case .json: write(report.jsonText())
            case .junit: write(report.junitText())
            }
            return ExitStatus.invalidPolicies
        }
        if skipTests { return ExitStatus.ok }
        let testsDirectory = tests ?? directory
        if let problem = directoryProblem(testsDirectory) {
            writeError("arbiter compile: --tests \(testsDirectory): \(problem)\n")
            return ExitStatus.unreadableDirectory
        }
        let results = TestRunner(policySet: policySet, filter: filter).run(directory: testsDirectory)
        switch output {
        case .tree: write(results.treeText(colour: colour, verbose: verbose))
        case .json: write(results.jsonText())
        case .junit: write(results.junitText())
        }
        return results.succeeded ? ExitStatus.ok : ExitStatus.testFailed
    }

    /// Why `path` cannot be read as a directory, in words, or nil when it can.
    static func directoryProblem(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            switch errno {
            case ENOENT: return "no such directory"
            case EACCES: return "permission denied (check the permissions of the directory and its parents)"
            default: return "cannot be read (\(String(cString: strerror(errno))))"
            }
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return "not a directory" }
        guard access(path, R_OK | X_OK) == 0 else { return "permission denied (the directory cannot be listed)" }
        return nil
    }

    /// The CEL front end policies compile with: type-checked, with the Cerbos functions and the
    /// CEL extensions Cerbos enables, as `cerbos compile` does, and watching clock reads so tests
    /// without a pinned `now` that depend on it are ERRORED.
    static func policyExpressionCompiler() -> ClockWatchingCompiler {
        ClockWatchingCompiler(CELExpressionCompiler())
    }

    static func standardError(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { fwrite($0.baseAddress, 1, $0.count, stderr) }
    }
}
