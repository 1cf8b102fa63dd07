import ArgumentParser
import Testing
@testable import ArbiterCLI
#if canImport(Glibc)
import Glibc
#endif

/// `arbiter compile`: exit codes, output formats and options, run in-process.
@Suite struct CompileCommandTests {
    static var examples: String {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/examples/policies"
    }

    func run(_ directory: String, tests: String? = nil, runPattern: String? = nil, output: CompileCommand.OutputFormat = .tree,
             skipTests: Bool = false) -> (status: Int32, out: String, err: String) {
        var out = ""
        var err = ""
        let status = CompileCommand.execute(directory: directory, tests: tests, runPattern: runPattern, output: output,
                                            skipTests: skipTests, write: { out += $0 }, writeError: { err += $0 })
        return (status, out, err)
    }

    func temporaryDirectory(_ files: [String: String]) -> String {
        var template = Array("/tmp/arbiter-compile-XXXXXX".utf8CString)
        let root = String(cString: mkdtemp(&template)!)
        for (name, text) in files {
            let f = fopen(root + "/" + name, "wb")!
            fputs(text, f)
            fclose(f)
        }
        return root
    }

    @Test func examples_compileAndTheirSuitesPass() {
        let result = run(Self.examples)
        #expect(result.status == 0, "\(result.out)\(result.err)")
        #expect(result.out.contains("tests executed"))
    }

    @Test func options_parseFromTheCommandLine() throws {
        let command = try CompileCommand.parse(["dir", "--tests", "t", "--run", "^a", "--output", "junit", "--skip-tests"])
        #expect(command.directory == "dir" && command.tests == "t" && command.runPattern == "^a")
        #expect(command.output == .junit && command.skipTests)
    }

    @Test func invalidPolicies_printPositionedDiagnostics_andExit3() {
        let dir = temporaryDirectory(["bad.yaml": "apiVersion: api.cerbos.dev/v1\nresourcePolicy:\n  resource: x\n  version: default\n  rulez: []\n"])
        let result = run(dir)
        #expect(result.status == 3)
        #expect(result.err.contains("bad.yaml:5:3:"))
        #expect(result.err.contains("  rulez: []\n"))
        #expect(result.err.contains("^"))
    }

    @Test func failingTest_exits4_andSkipTestsOnlyCompiles() {
        let policy = "apiVersion: api.cerbos.dev/v1\nresourcePolicy:\n  resource: x\n  version: default\n  rules:\n    - actions: [a]\n      effect: EFFECT_ALLOW\n      roles: [r]\n"
        let suite = "name: S\nprincipals:\n  p: {id: p, roles: [r]}\nresources:\n  x: {kind: x, id: x1}\ntests:\n  - name: T\n    input: {principals: [p], resources: [x], actions: [a]}\n    expected: []\n"
        let dir = temporaryDirectory(["x.yaml": policy, "x_test.yaml": suite])
        let failed = run(dir, output: .json)
        #expect(failed.status == 4)
        #expect(failed.out.contains("\"result\": \"RESULT_FAILED\""))
        #expect(run(dir, skipTests: true).status == 0)
        #expect(run(dir, runPattern: "^nothing").status == 0)
        #expect(run(dir, output: .junit).out.contains("<failure"))
        // The same suite against the examples, which have no policy for kind x, expects DENY and passes.
        let elsewhere = run(Self.examples, tests: dir)
        #expect(elsewhere.status == 0 && elsewhere.out.contains("S (x_test.yaml) [OK]"), "\(elsewhere.out)")
        #expect(run(dir, tests: dir + "/missing").status == ExitStatus.unreadableDirectory)
    }
}
