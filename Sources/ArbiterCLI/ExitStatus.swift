import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// Every exit status of `arbiter`, in one place so that the commands, the docs (README and
/// docs/operations.md, "Exit codes") and the tests agree. Cerbos's codes where Cerbos has one:
/// `cerbos compile` exits 2 on a usage error, 3 when the policies do not compile and 4 when a
/// policy test fails.
public enum ExitStatus {
    /// Success.
    public static let ok: Int32 = 0
    /// The operation failed: the daemon could not be reached or is not serving (`health`), a
    /// request was refused (`check`, `plan`), an expression failed to evaluate (`eval`), or the
    /// daemon could not start (`serve`).
    public static let failure: Int32 = 1
    /// A usage error: an unknown flag, a missing argument, a bad flag value, or (for `serve`) a
    /// configuration file that is not valid.
    public static let usage: Int32 = 2
    /// The policies (or, for `eval`, the expression) do not compile.
    public static let invalidPolicies: Int32 = 3
    /// A policy test failed or errored.
    public static let testFailed: Int32 = 4
    /// The policy or test directory is missing or cannot be read.
    public static let unreadableDirectory: Int32 = 5
}

extension ArbiterCommand {
    /// Parses the command line, runs the command, and exits with an `ExitStatus`. Usage errors
    /// exit 2 (argument-parser's own default is 64, EX_USAGE) and print the usage of the command
    /// that was given, not the root's, also for errors thrown by the command's `run()`.
    public static func runAndExit(_ arguments: [String]? = nil) async -> Never {
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exitForError(error, of: Self.self)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exitForRunError(error, of: type(of: command))
        }
        Glibc.exit(ExitStatus.ok)
    }

    /// Errors thrown by `run()`: argument-parser knows the subcommand's type but not the path
    /// that led to it, so a usage error names the command itself.
    private static func exitForRunError(_ error: Error, of commandType: ParsableCommand.Type) -> Never {
        guard commandType.exitCode(for: error) == .validationFailure else { commandType.exit(withError: error) }
        let names = commandType == Self.self ? [configuration.commandName]
            : [configuration.commandName, commandType.configuration.commandName]
        let name = names.compactMap { $0 }.joined(separator: " ")
        printError("Error: \(commandType.message(for: error))\n  See '\(name) --help' for more information.")
        Glibc.exit(ExitStatus.usage)
    }

    private static func exitForError(_ error: Error, of commandType: ParsableCommand.Type) -> Never {
        let code = commandType.exitCode(for: error)
        guard code == .validationFailure else { commandType.exit(withError: error) }
        printError(commandType.fullMessage(for: error))
        Glibc.exit(ExitStatus.usage)
    }
}
