#if canImport(Glibc)
import Glibc
#endif
import ArbiterEngine
import ArbiterServer
import Foundation
import Testing

/// Runs a watcher with the real compile step (loader, checks, compiler) on `directory`.
func withEngineWatcher(directory: String, requireTestsPass: Bool = false,
                       _ body: (PolicyStore<Engine>) async throws -> Void) async throws {
    let store = PolicyStore<Engine>()
    let watcher = try PolicyWatcher(
        directory: directory, store: store,
        options: .init(watchForChanges: true, debounce: .milliseconds(50), maxDelay: .milliseconds(500)),
        logger: testLogger,
        compile: EngineCompilation.compiler(configuration: EngineConfiguration(), requireTestsPass: requireTestsPass))
    await watcher.reload(trigger: "startup")
    watcher.beginWatching()  // before the body's first edit, as withWatcher does
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await watcher.run() }
        try await body(store)
        group.cancelAll()
        try await group.waitForAll()
    }
}

/// The Health result's JSON from the daemon at `socket`, or nil when it does not answer.
func healthText(socket: String) async -> String? {
    await onOwnThread {
        guard let client = try? PipeliningClient(path: socket),
              client.send(Array(#"{"jsonrpc":"2.0","id":1,"method":"Health"}"#.utf8)),
              case let .frame(bytes) = client.readFrame() else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Issue 19's three reload defects, each reproduced with real inotify in a temporary directory.
@Suite struct ReloadSafetyLiveTests {
    static let otherPolicy = DaemonChild.policy.replacingOccurrences(of: "resource: document", with: "resource: folder")

    /// Defect 1: `: > file` used to publish a snapshot without that file's policies.
    @Test func truncatedPolicyFile_failsTheReload_andItsPoliciesStayInService() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try writeFile(dir.path + "/document.yaml", DaemonChild.policy)
        try await withEngineWatcher(directory: dir.path) { store in
            #expect(store.current().policyCount == 1)
            shell(": > '\(dir.path)/document.yaml'")
            #expect(await eventually { store.current().lastReload?.outcome == .failure })
            let current = store.current()
            #expect(current.generation == 1)
            #expect(current.policyCount == 1)
            #expect(current.lastReload?.diagnostics.first?.hasPrefix("document.yaml: this file held policies that are in service and is now empty") == true,
                    "\(current.lastReload?.diagnostics ?? [])")
            // The writer finishes: the new contents are published.
            try writeFile(dir.path + "/document.yaml", DaemonChild.policy)
            #expect(await eventually { store.current().generation == 2 })
            #expect(store.current().lastReload?.outcome == .success)
            #expect(store.current().policyCount == 1)
        }
    }

    @Test func deletedPolicyFile_stillRemovesItsPolicies() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try writeFile(dir.path + "/document.yaml", DaemonChild.policy)
        try writeFile(dir.path + "/folder.yaml", Self.otherPolicy)
        try await withEngineWatcher(directory: dir.path) { store in
            #expect(store.current().policyCount == 2)
            shell("rm '\(dir.path)/folder.yaml'")
            #expect(await eventually { store.current().generation == 2 })
            #expect(store.current().lastReload?.outcome == .success)
            #expect(store.current().policyCount == 1)
        }
    }

    /// Defect 2: a directory symlink loop used to run the reload away (90 s, 3.8 GB).
    @Test func directorySymlinkLoop_failsTheReloadPromptly_namingTheLinks() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try writeFile(dir.path + "/document.yaml", DaemonChild.policy)
        try await withEngineWatcher(directory: dir.path) { store in
            mkdir(dir.path + "/loop", 0o755)
            symlink("..", dir.path + "/loop/up")
            symlink(".", dir.path + "/loop/self")
            // Prompt is well under the 90 s the runaway took; the bound is loose because a reload
            // compiles on a nice-10 thread, which the full test run's CPU-bound suites starved for
            // about 13 s (measured) on a 2-core machine.
            #expect(await eventually(timeout: .seconds(40)) {
                store.current().lastReload.map { $0.outcome == .failure && $0.diagnostics.count == 2 } == true
            }, "generation \(store.current().generation), last reload \(String(describing: store.current().lastReload))")
            let diagnostics = store.current().lastReload?.diagnostics ?? []
            #expect(diagnostics.contains { $0.contains("loop/up") && $0.contains("directory cycle") }, "\(diagnostics)")
            #expect(diagnostics.contains { $0.contains("loop/self") && $0.contains("directory cycle") }, "\(diagnostics)")
            #expect(store.current().generation == 1)
        }
    }

    /// Defect 3, as the issue found it: the daemon not running as root, `chmod 000` on the policy
    /// directory cost its watches for good. Now Health says DEGRADED while they are lost, the
    /// watches come back with the permissions, and later edits are reloaded.
    @Test func policyDirectoryUnreadableForAWhile_isDegradedMeanwhile_andHotReloadRecovers() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let policies = dir.path + "/policies"
        mkdir(policies, 0o755)
        mkdir(policies + "/sub", 0o755)
        try writeFile(policies + "/document.yaml", DaemonChild.policy)
        // Root ignores permissions, so as root the daemon runs as nobody over a tree it owns.
        let nobody: uid_t = 65534
        if getuid() == 0 {
            chmod(dir.path, 0o755)
            shell("chown -R \(nobody):\(nobody) '\(dir.path)'")
        }
        let socket = dir.path + "/arbiter.sock"
        let daemon = try DaemonChild(arguments: ["--policies", policies, "--socket", socket, "--log-level", "info"],
                                     workDirectory: dir.path, runAsUser: nobody)
        let up = await eventually(timeout: .seconds(60)) { await healthText(socket: socket)?.contains(#""status":"SERVING""#) == true }
        try #require(up, "the daemon never served: \(daemon.log())")

        chmod(policies, 0)
        let degraded = await eventually { await healthText(socket: socket)?.contains(#""status":"DEGRADED""#) == true }
        let whileUnreadable = await healthText(socket: socket) ?? "no answer"
        #expect(degraded, "\(whileUnreadable); log: \(daemon.log())")
        #expect(whileUnreadable.contains("cannot watch \(policies)"), "\(whileUnreadable)")
        chmod(policies, 0o755)
        let serving = await eventually { await healthText(socket: socket)?.contains(#""status":"SERVING""#) == true }
        #expect(serving, "\(daemon.log())")

        try writeFile(policies + "/sub/folder.yaml", Self.otherPolicy)
        if getuid() == 0 { chown(policies + "/sub/folder.yaml", nobody, nobody) }
        let reloaded = await eventually { await healthText(socket: socket)?.contains(#""policyCount":2"#) == true }
        let afterEdit = await healthText(socket: socket) ?? "no answer"
        #expect(reloaded, "\(afterEdit); log: \(daemon.log())")

        kill(daemon.pid, SIGTERM)
        let status = await daemon.waitForExit(timeout: .seconds(20))
        #expect(status == 0, "\(daemon.log())")
    }

    /// The same loss and recovery as root can cause it: the policy directory removed (its
    /// watches go with it) and made again.
    @Test func removedAndRecreatedRoot_isDegradedUntilBack_thenWatchedAgain() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let policies = dir.path + "/policies"
        mkdir(policies, 0o755)
        try writeFile(policies + "/a.yaml", "v1")
        try await withWatcher(directory: policies) { store, _ in
            #expect(store.current().degradedReason == nil)
            shell("rm -rf '\(policies)'")
            #expect(await eventually { store.current().degradedReason?.contains("cannot be resolved") == true },
                    "\(store.current().degradedReason ?? "not degraded")")
            mkdir(policies, 0o755)
            try writeFile(policies + "/a.yaml", "v2")
            #expect(await snapshotBecomes(store, ["a.yaml=v2"]))
            #expect(await eventually { store.current().degradedReason == nil })
            try writeFile(policies + "/a.yaml", "v3")
            #expect(await snapshotBecomes(store, ["a.yaml=v3"]))
        }
    }
}
