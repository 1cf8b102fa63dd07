#if canImport(Glibc)
import Glibc
#endif

/// A real `arbiter serve` daemon as a child process on a temporary socket, configured by a
/// temporary YAML file. Stopped with SIGTERM (graceful shutdown) by `stop()`.
final class DaemonProcess {
    let socketPath: String
    /// The HTTP API's Unix socket (`server.httpListenAddr`), when started with `http: true`.
    let httpSocketPath: String?
    /// The gRPC front end's socket (`server.grpcListenAddr`).
    let grpcSocketPath: String
    let pid: pid_t
    let logPath: String

    /// The release `arbiter` binary: $ARBITER_BIN, else `.build/release/arbiter`.
    static func binary() throws -> String {
        let path = getenv("ARBITER_BIN").map { String(cString: $0) } ?? packageRoot() + "/.build/release/arbiter"
        guard access(path, X_OK) == 0 else {
            throw BenchFailure("no arbiter binary at \(path); run `make bench` (it builds it) or set ARBITER_BIN")
        }
        return path
    }

    /// The daemon's log line saying its directory watch is in place.
    static let watchingLine = "watching policy directory"

    /// Starts the daemon over `policies` and waits until its socket accepts connections and,
    /// when watching, until the watch covers the tree (a change made before that is missed).
    init(policies: String, workDirectory: String, watch: Bool = false, debounce: String = "200ms",
         globals: [(String, String)] = [], http: Bool = false, auditFile: String? = nil, schemaEnforcement: String? = nil,
         readyTimeoutSeconds: Double = 120) throws {
        socketPath = workDirectory + "/arbiter.sock"
        httpSocketPath = http ? workDirectory + "/http.sock" : nil
        grpcSocketPath = workDirectory + "/grpc.sock"
        logPath = workDirectory + "/arbiter.log"
        var config = """
        storage:
          driver: disk
          disk:
            directory: "\(policies)"
            watchForChanges: \(watch)
            reloadDebounce: \(debounce)
        server:
          socket:
            path: "\(socketPath)"
          grpcListenAddr: "unix:\(grpcSocketPath)"

        """
        if let httpSocketPath { config += "  httpListenAddr: \"unix:\(httpSocketPath)\"\n" }
        if let auditFile {
            config += "audit:\n  enabled: true\n  decisionLogsEnabled: true\n  backend: file\n  file:\n    path: \"\(auditFile)\"\n"
        }
        if let schemaEnforcement { config += "schema:\n  enforcement: \(schemaEnforcement)\n" }
        if !globals.isEmpty {
            config += "engine:\n  globals:\n" + globals.map { "    \($0.0): \"\($0.1)\"\n" }.joined()
        }
        let configPath = workDirectory + "/arbiter.yaml"
        try writeFile(configPath, config)
        let argv = [try Self.binary(), "serve", "--config", configPath, "--log-level", watch ? "info" : "warning"]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cargs = argv.map { strdup($0) }
        cargs.append(nil)
        defer { for p in cargs { free(p) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, argv[0], &actions, nil, cargs, environ)
        guard rc == 0 else { throw BenchFailure("cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
        pid = child
        let deadline = monotonicNanos() + UInt64(readyTimeoutSeconds * 1e9)
        while true {
            if let fd = try? RawSocket.connect(socketPath) {
                close(fd)
                if !watch || log().contains(Self.watchingLine) { break }
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw BenchFailure("arbiter exited during start-up; log: \(log())")
            }
            if monotonicNanos() > deadline {
                stop()
                let waitingFor = watch ? " and log \"\(Self.watchingLine)\"" : ""
                throw BenchFailure("arbiter did not listen on \(socketPath)\(waitingFor) within \(readyTimeoutSeconds) s; log: \(log())")
            }
            usleep(5000)
        }
    }

    /// The daemon's resident memory (VmRSS), in KiB.
    var rssKiB: Int { status("VmRSS:") }

    /// The daemon's peak resident memory (VmHWM) since it started or since `resetPeak()`, in KiB.
    var peakRSSKiB: Int { status("VmHWM:") }

    /// Starts a new peak-RSS window (`echo 5 > /proc/<pid>/clear_refs`).
    func resetPeak() {
        let fd = open("/proc/\(pid)/clear_refs", O_WRONLY)
        guard fd >= 0 else { return }
        _ = write(fd, "5", 1)
        close(fd)
    }

    private func status(_ field: String) -> Int {
        guard let text = readFile("/proc/\(pid)/status").map({ String(decoding: $0, as: UTF8.self) }) else { return -1 }
        for line in text.split(separator: "\n") where line.hasPrefix(field) {
            return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" })[1]) ?? -1
        }
        return -1
    }

    /// The last part of the daemon's output.
    func log() -> String {
        let text = readFile(logPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return String(text.suffix(2000))
    }

    private var stopped = false

    /// SIGTERM, then wait for exit.
    func stop() {
        guard !stopped else { return }
        stopped = true
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    deinit { stop() }
}
