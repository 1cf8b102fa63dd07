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
        discussion: """
        Exit status: 0 when the policies compile and every test passes, 3 when the policies do not \
        compile, 4 when a test failed or errored.
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

    @Option(name: .long, help: "Result format: tree, json or junit.")
    public var output: OutputFormat = .tree

    @Flag(name: .long, help: "Only compile; do not run tests.")
    public var skipTests = false

    @Flag(name: .long, help: "Show every action in the tree, not only failing ones.")
    public var verbose = false

    @Flag(name: .long, help: "Never colour the tree output.")
    public var noColor = false

    public init() {}

    /// Exit status for policies that do not compile.
    public static let invalidPoliciesExitCode: Int32 = 3
    /// Exit status for a failed or errored test.
    public static let testFailedExitCode: Int32 = 4

    public func run() throws {
        let status = Self.execute(directory: directory, tests: tests, runPattern: runPattern, output: output,
                                  skipTests: skipTests, verbose: verbose,
                                  colour: !noColor && isatty(STDOUT_FILENO) == 1,
                                  write: { print($0, terminator: "") },
                                  writeError: { Self.standardError($0) })
        if status != 0 { throw ExitCode(status) }
    }

    /// The whole command, with output sinks injected so tests can run it; returns the exit status.
    public static func execute(directory: String, tests: String?, runPattern: String?, output: OutputFormat,
                               skipTests: Bool, verbose: Bool = false, colour: Bool = false,
                               write: (String) -> Void, writeError: (String) -> Void) -> Int32 {
        let load = PolicyLoader.load(directory: directory)
        let compiled = PolicyCompiler(expressionCompiler: policyExpressionCompiler()).compile(load)
        guard let policySet = compiled.policySet else {
            writeError(DiagnosticRenderer.forDirectory(directory).render(compiled.diagnostics))
            writeError("\(directory): the policies do not compile (\(compiled.diagnostics.count) problem(s))\n")
            return invalidPoliciesExitCode
        }
        if skipTests { return 0 }
        let testsDirectory = tests ?? directory
        var isDirectory = stat()
        guard stat(testsDirectory, &isDirectory) == 0, (isDirectory.st_mode & S_IFMT) == S_IFDIR else {
            writeError("--tests: \(testsDirectory) is not a readable directory\n")
            return ExitCode.validationFailure.rawValue
        }
        var filter = TestFilter()
        if let runPattern {
            do {
                filter = try TestFilter(run: runPattern)
            } catch {
                writeError("--run: invalid regular expression \"\(runPattern)\": \(error)\n")
                return ExitCode.validationFailure.rawValue
            }
        }
        let results = TestRunner(policySet: policySet, filter: filter).run(directory: testsDirectory)
        switch output {
        case .tree: write(results.treeText(colour: colour, verbose: verbose))
        case .json: write(results.jsonText())
        case .junit: write(results.junitText())
        }
        return results.succeeded ? 0 : testFailedExitCode
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
