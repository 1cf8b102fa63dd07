// Public: `spawn` returns a `pid_t`.
#if canImport(Glibc)
public import Glibc
#elseif canImport(Darwin)
public import Darwin
#endif

/// Starting the built `arbiter` (or any program) as a child process the way the process tests
/// need it: output to a log file, listening sockets handed over as systemd hands them.
public enum ChildProcess {
    /// Variables that tell a process it runs under systemd; a child gets none of the test
    /// runner's own, only those its argv sets (see `socketActivated`).
    static let systemdVariables: Set<String> = [
        "NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "WATCHDOG_USEC", "WATCHDOG_PID",
    ]

    /// The argv that runs `binary` with `arguments` under socket activation of `socketCount`
    /// sockets (fds 3, 4, ...; see `spawn`): LISTEN_PID must be the daemon's own pid, so a shell
    /// sets the variables and keeps its pid through `exec`. `names` is LISTEN_FDNAMES, if any.
    public static func socketActivated(_ binary: String, _ arguments: [String], socketCount: Int, names: String? = nil) -> [String] {
        let fdNames = names.map { " LISTEN_FDNAMES=\($0)" } ?? ""
        return ["/bin/sh", "-c", "LISTEN_PID=$$ LISTEN_FDS=\(socketCount)\(fdNames) exec \"$0\" \"$@\"", binary] + arguments
    }

    /// Starts `argv` (`argv[0]` a path) with standard output and error to `log` (truncated),
    /// `sockets` as its fds 3, 4, ..., and the test runner's environment without systemd's
    /// variables. Returns the child's pid; the caller reaps it.
    public static func spawn(_ argv: [String], log: String, sockets: [CInt] = []) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        for (i, fd) in sockets.enumerated() { posix_spawn_file_actions_adddup2(&actions, fd, 3 + CInt(i)) }
        let environment = currentEnvironment().filter { !systemdVariables.contains($0.key) }.map { "\($0.key)=\($0.value)" }
        var cargs = argv.map { strdup($0) } + [nil]
        var cenv = environment.map { strdup($0) } + [nil]
        defer {
            for p in cargs { free(p) }
            for p in cenv { free(p) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, argv[0], &actions, nil, &cargs, &cenv)
        guard rc == 0 else { throw ChildProcessError("cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
        return child
    }

    private static func currentEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") { result[String(text[..<eq])] = String(text[text.index(after: eq)...]) }
            p += 1
        }
        return result
    }
}

/// A child process that could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
