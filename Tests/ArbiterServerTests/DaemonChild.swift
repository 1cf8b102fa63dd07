#if canImport(Glibc)
import Glibc
#endif
import ArbiterTestSupport
import Dispatch
import Foundation

/// The built `arbiter` executable run as a child process (`arbiter serve`), for tests that need
/// the real binary: socket activation and SIGTERM.
final class DaemonChild: @unchecked Sendable {
    let pid: pid_t
    let logPath: String
    private var exitStatus: Int32?

    /// The policy every child serves: `view` is allowed to the owner, everything else denied.
    static let policy = """
    apiVersion: api.cerbos.dev/v1
    resourcePolicy:
      resource: document
      version: default
      rules:
        - actions: ["view"]
          roles: ["user"]
          effect: EFFECT_ALLOW
          condition:
            match:
              expr: R.attr.owner == P.id

    """

    /// A CheckResources request frame payload for `id` deciding `view` and `edit` for alice.
    static func checkPayload(id: Int) -> [UInt8] {
        Array(("""
        {"jsonrpc":"2.0","id":\(id),"method":"CheckResources","params":{"requestId":"r\(id)",\
        "principal":{"id":"alice","roles":["user"]},"resources":[{"actions":["view","edit"],\
        "resource":{"kind":"document","id":"d\(id)","attr":{"owner":"alice"}}}]}}
        """).utf8)
    }

    /// The `arbiter` binary: `ARBITER_BINARY`, else the one beside the test bundle, else
    /// `.build/debug/arbiter` (`swift build --build-tests` builds it).
    static func binary() throws -> String {
        var candidates: [String] = []
        if let explicit = getenv("ARBITER_BINARY").map({ String(cString: $0) }), !explicit.isEmpty { candidates.append(explicit) }
        if let runner = CommandLine.arguments.first, let slash = runner.lastIndex(of: "/") {
            var dir = String(runner[..<slash])
            // The bundle may be a directory (`X.xctest/...`) or the executable itself.
            if let bundle = dir.range(of: ".xctest") { dir = String(dir[..<bundle.lowerBound]); dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.endIndex)]) }
            candidates.append(dir + "/arbiter")
        }
        let file = #filePath
        let root = file.components(separatedBy: "/Tests/").first ?? "."
        candidates.append(root + "/.build/debug/arbiter")
        guard let found = candidates.first(where: { access($0, X_OK) == 0 }) else {
            throw TestSetupError("no arbiter executable at \(candidates); build it with `swift build --build-tests`")
        }
        return found
    }

    /// Starts `arbiter serve` with `arguments`. With `listeningSocket`, that descriptor becomes
    /// the child's fd 3 and `LISTEN_FDS=1` / `LISTEN_PID=<child pid>` are set, as systemd does.
    /// With `runAsUser` while the tests run as root, the child is started through `setpriv`
    /// as that user (and its group of the same number), for what only shows without root. The
    /// binary is copied into `workDirectory` first: the build tree may not be reachable by that
    /// user (a checkout under /root), the work directory must be.
    init(arguments: [String], workDirectory: String, listeningSocket: CInt? = nil, runAsUser: uid_t? = nil) throws {
        logPath = workDirectory + "/arbiter.log"
        let binary = try Self.binary()
        let argv: [String]
        if let uid = runAsUser, getuid() == 0 {
            let copy = workDirectory + "/arbiter"
            guard shell("cp '\(binary)' '\(copy)' && chmod 755 '\(copy)'") == 0 else { throw TestSetupError("cannot copy \(binary) to \(copy)") }
            argv = ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", copy, "serve"] + arguments
        } else if listeningSocket != nil {
            argv = ChildProcess.socketActivated(binary, ["serve"] + arguments, socketCount: 1)
        } else {
            argv = [binary, "serve"] + arguments
        }
        pid = try ChildProcess.spawn(argv, log: logPath, sockets: listeningSocket.map { [$0] } ?? [])
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    /// The child's output so far (for failure messages).
    func log() -> String {
        String(decoding: (LocalFiles.read(logPath) ?? []).suffix(4000), as: UTF8.self)
    }

    /// Waits up to `timeout` for the child to exit; returns its exit code, or nil if it is still
    /// running (or was killed by a signal: then -signal).
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while true {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let code = status & 0x7F == 0 ? (status >> 8) & 0xFF : -(status & 0x7F)
                exitStatus = code
                return code
            }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// Runs blocking socket work on its own thread, away from the cooperative pool.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue(label: "arbiter-test-blocking").async { continuation.resume(returning: body()) }
    }
}
