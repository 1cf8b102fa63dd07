import Foundation
import Testing
@testable import ArbiterCLI
import CEL

#if canImport(Glibc)
import Glibc
#endif

/// Every error path of the `arbiter` binary a user can reach from the command line: the exit
/// status of the table in docs/operations.md ("Exit codes"), a message that names what failed
/// and where, and nothing of Swift's or the C library's internals in it.
@Suite struct CLIErrorPathTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var status: Int32
        /// Text the message must contain (names the path or flag, says what to do).
        var mentions: [String]
        var description: String { name }
    }

    static let missingSocket = "/tmp/arbiter-no-such-daemon.sock"
    static let missingDirectory = "/tmp/arbiter-no-such-policy-directory"

    static let cases: [Case] = [
        Case(name: "unknown subcommand", arguments: ["frobnicate"], status: 2, mentions: ["frobnicate", "arbiter --help"]),
        Case(name: "unknown flag", arguments: ["compile", "--frob", "x"], status: 2, mentions: ["--frob", "arbiter compile"]),
        Case(name: "compile without a directory", arguments: ["compile"], status: 2, mentions: ["<directory>", "arbiter compile"]),
        Case(name: "compile of a missing directory", arguments: ["compile", missingDirectory], status: 5,
             mentions: [missingDirectory, "no such directory"]),
        Case(name: "compile of a file", arguments: ["compile", "/etc/hostname"], status: 5, mentions: ["/etc/hostname", "not a directory"]),
        Case(name: "compile with a bad --run", arguments: ["compile", "--run", "(", "."], status: 2, mentions: ["--run", "\"(\""]),
        Case(name: "compile with a bad --test-filter", arguments: ["compile", "--test-filter", "colour=red", "."], status: 2,
             mentions: ["--test-filter", "colour", "suite, test, principal, resource, action"]),
        Case(name: "health without a daemon", arguments: ["health", "--socket", missingSocket], status: 1,
             mentions: [missingSocket, "no socket there", "arbiter serve"]),
        Case(name: "check without a daemon",
             arguments: ["check", "--socket", missingSocket, "--principal", "a", "--role", "r", "--kind", "k", "--action", "v"],
             status: 1, mentions: [missingSocket, "no socket there"]),
        Case(name: "check without a request", arguments: ["check", "--socket", missingSocket], status: 2,
             mentions: ["--request", "arbiter check --help"]),
        Case(name: "check with an unreadable request file", arguments: ["check", "--request", missingDirectory + "/r.json"], status: 2,
             mentions: [missingDirectory + "/r.json"]),
        Case(name: "check with a bad attribute", arguments: ["check", "--principal", "a", "--role", "r", "--kind", "k",
                                                             "--action", "v", "--resource-attr", "novalue"],
             status: 2, mentions: ["--resource-attr", "key=value"]),
        Case(name: "serve with a missing config file", arguments: ["serve", "--config", missingDirectory + "/c.yaml"], status: 2,
             mentions: [missingDirectory + "/c.yaml"]),
        Case(name: "serve with a bad log format", arguments: ["serve", "--log-format", "xml"], status: 2,
             mentions: ["--log-format", "text or json"]),
        Case(name: "serve with a bad log level", arguments: ["serve", "--log-level", "loud"], status: 2,
             mentions: ["--log-level", "loud"]),
        Case(name: "eval without an expression", arguments: ["eval"], status: 2, mentions: ["expression", "arbiter eval --help"]),
        Case(name: "eval of a syntax error", arguments: ["eval", "1 +"], status: 3, mentions: ["<input>:1:"]),
        Case(name: "eval with a bad --now", arguments: ["eval", "now", "--now", "yesterday"], status: 2, mentions: ["--now", "RFC 3339"]),
    ]

    /// Swift type names, function signatures and bare errno texts that must never reach a user.
    static let internals = ["(descriptor:", "errno:", "Swift.", "Error(", "NIOCore", "IOError", "Optional(", "Foundation."]

    @Test(arguments: cases)
    func errorPath_exitsWithItsDocumentedCode_andSaysWhatFailedInWords(_ c: Case) throws {
        let binary = try PackagingTests.Repo.builtBinary().path
        let result = try PackagingTests.Shell.run(binary, c.arguments)
        #expect(result.status == c.status, "\(c.arguments): \(result)")
        let message = result.stderr
        for text in c.mentions {
            #expect(message.contains(text), "\(c.arguments): stderr does not mention \"\(text)\": \(message)")
        }
        for marker in Self.internals {
            #expect(!message.contains(marker), "\(c.arguments): stderr shows \"\(marker)\": \(message)")
        }
    }

    @Test func evalReadingTheRequestWithoutOne_warnsOnStderr_andStillAnswers() throws {
        let binary = try PackagingTests.Repo.builtBinary().path
        let result = try PackagingTests.Shell.run(binary, ["eval", "P.id == ''"])
        #expect(result.status == 0)
        #expect(result.stdout == "true\n")
        #expect(result.stderr.contains("warning: the expression reads P but no --request was given"))
        let quiet = try PackagingTests.Shell.run(binary, ["eval", "[1].exists(P, P == 1)"])
        #expect(quiet.stderr.isEmpty, "a comprehension variable named P is not the principal: \(quiet.stderr)")
    }

    @Test func everyHelpText_fitsAnEightyColumnTerminal() throws {
        let binary = try PackagingTests.Repo.builtBinary().path
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "80"
        let commands: [[String]] = [[], ["serve"], ["compile"], ["check"], ["health"], ["eval"]]
        for command in commands {
            let result = try PackagingTests.Shell.run(binary, command + ["--help"], environment: environment)
            #expect(result.status == 0)
            for line in result.stdout.split(separator: "\n") {
                #expect(line.count <= 80, "\(command) --help: \(line.count) columns: \(line)")
            }
        }
    }

    @Test func healthPasses_whenServingOrDegraded_andWithTheFlagOnlyWhenServingAfterASuccessfulReload() {
        func health(_ status: String, _ outcome: String?) -> Value {
            var pairs: [(String, Value)] = [("status", .string(status))]
            if let outcome { pairs.append(("lastReload", .map(MapValue(stringKeyed: [("outcome", .string(outcome))])))) }
            return .map(MapValue(stringKeyed: pairs))
        }
        #expect(HealthCommand.passes(health("SERVING", "FAILURE"), failOnReloadError: false))
        #expect(!HealthCommand.passes(health("SERVING", "FAILURE"), failOnReloadError: true))
        #expect(HealthCommand.passes(health("SERVING", "SUCCESS"), failOnReloadError: true))
        #expect(HealthCommand.passes(health("SERVING", nil), failOnReloadError: true))
        #expect(!HealthCommand.passes(health("NOT_SERVING", nil), failOnReloadError: false))
        #expect(HealthCommand.passes(health("DEGRADED", "SUCCESS"), failOnReloadError: false))
        #expect(!HealthCommand.passes(health("DEGRADED", "SUCCESS"), failOnReloadError: true))
    }
}
