#if canImport(Glibc)
import Glibc
#endif
import ArbiterClient
import ArbiterServer
import CEL
import Dispatch
import NIOPosix
import Synchronization
import Testing

/// A datagram socket standing in for systemd's notification socket.
final class FakeNotifySocket: @unchecked Sendable {
    let fd: CInt
    let path: String

    init(path: String) throws {
        self.path = path
        // Generous timeout: on a loaded 2-core machine the other suites running in parallel can
        // hold the cooperative threads for many seconds before the daemon under test notifies.
        fd = try unixSocket(path, type: CInt(SOCK_DGRAM.rawValue), connecting: false, receiveTimeoutSeconds: 60)
    }

    deinit { close(fd) }

    /// Blocking receives run here, not on NIO's shared thread pool: that pool has one thread per
    /// core, and the daemon under test and other suites need it too, so a receive parked there
    /// could starve them on a small machine.
    private let queue = DispatchQueue(label: "fake-notify-socket")

    /// The next datagram, or nil after 60 s of silence.
    func next() async throws -> String? {
        await withCheckedContinuation { continuation in
            queue.async {
                var buf = [UInt8](repeating: 0, count: 4096)
                // A signal (SIGCHLD from a child another suite runs, when Foundation's Process
                // has installed a handler) interrupts a receive that has a timeout with EINTR;
                // that is not silence.
                var n = recv(self.fd, &buf, buf.count, 0)
                while n < 0 && errno == EINTR { n = recv(self.fd, &buf, buf.count, 0) }
                continuation.resume(returning: n > 0 ? String(decoding: buf[0..<n], as: UTF8.self) : nil)
            }
        }
    }

    /// Reads datagrams until one contains `marker`; returns everything read, in order. Silence
    /// before the marker is an error that says what was seen, not a short list that would make
    /// the next wait read this wait's datagrams.
    func until(_ marker: String) async throws -> [String] {
        var seen: [String] = []
        while let m = try await next() {
            seen.append(m)
            if m.contains(marker) { return seen }
        }
        throw TestSetupError("no \(marker) within 60 s of silence; received \(seen)")
    }
}

@Suite(.serialized) struct ArbiterDaemonLiveTests {
    func configuration(_ dir: TemporaryDirectory) -> ServerConfiguration {
        var c = ServerConfiguration()
        c.policyDirectory = dir.path + "/policies"
        c.socketPath = dir.path + "/arbiter.sock"
        c.reloadDebounce = .milliseconds(50)
        c.reloadMaxDelay = .milliseconds(500)
        c.shutdownGracePeriod = .seconds(3)
        return c
    }

    func makeDaemon(_ c: ServerConfiguration) -> ArbiterDaemon<FileListDecisions> {
        ArbiterDaemon(configuration: c, identity: ServerIdentity(version: "9.9.9", build: "test"), decisions: FileListDecisions(),
                      logger: testLogger, handleTerminationSignals: false, compile: compileFileList)
    }

    @Test func notifySocket_receivesReady_reloadingReady_status_andStopping_inOrder() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        mkdir(dir.path + "/policies", 0o755)
        try writeFile(dir.path + "/policies/a.yaml", "a")
        let notify = try FakeNotifySocket(path: dir.path + "/notify.sock")
        setenv("NOTIFY_SOCKET", notify.path, 1)
        defer { unsetenv("NOTIFY_SOCKET") }
        let config = configuration(dir)
        let daemon = makeDaemon(config)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await daemon.run() }
            let startup = try await notify.until("READY=1")
            #expect(startup.last?.contains("STATUS=1 policies, generation 1, last reload ok") == true, "\(startup)")
            #expect(!startup.dropLast().contains { $0.contains("READY=1") })

            let client = try await ArbiterClient.connect(path: config.socketPath)
            #expect(try text(try await client.health()).contains(#""status":"SERVING","generation":1,"policyCount":1"#))

            try replaceFile(dir.path + "/policies/b.yaml", "b", stagingDirectory: dir.path)
            let reload = try await notify.until("READY=1")
            #expect(reload.first?.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") == true, "\(reload)")
            #expect(reload.last?.contains("STATUS=2 policies, generation 2") == true, "\(reload)")

            kill(getpid(), SIGHUP)
            let hup = try await notify.until("READY=1")
            #expect(hup.first?.hasPrefix("RELOADING=1") == true, "\(hup)")
            #expect(try text(try await client.health()).contains(#""generation":3"#))
            #expect(try text(try await client.health()).contains(#""trigger":"SIGHUP""#))

            try replaceFile(dir.path + "/policies/b.yaml", "BROKEN", stagingDirectory: dir.path)
            let failed = try await notify.until("READY=1")
            #expect(failed.last?.contains("last reload FAILED") == true, "\(failed)")
            let v = try await client.checkResources(checkRequest("p"))
            #expect(try text(v) == #"{"principal":"p","files":["a.yaml=a","b.yaml=b"]}"#)

            await daemon.shutdown()
            let stopping = try await notify.until("STOPPING=1")
            #expect(stopping.last?.contains("STOPPING=1") == true, "\(stopping)")
            try await group.waitForAll()
            await client.close()
        }
        var st = stat()
        #expect(lstat(config.socketPath, &st) != 0, "the socket file is removed on shutdown")
    }

    @Test func watchdogEnabled_pingsAtHalfTheInterval() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        mkdir(dir.path + "/policies", 0o755)
        let notify = try FakeNotifySocket(path: dir.path + "/notify.sock")
        setenv("NOTIFY_SOCKET", notify.path, 1)
        setenv("WATCHDOG_USEC", "200000", 1)
        setenv("WATCHDOG_PID", "\(getpid())", 1)
        defer {
            unsetenv("NOTIFY_SOCKET")
            unsetenv("WATCHDOG_USEC")
            unsetenv("WATCHDOG_PID")
        }
        let daemon = makeDaemon(configuration(dir))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await daemon.run() }
            _ = try await notify.until("READY=1")
            let started = ContinuousClock.now
            var pings = 0
            while pings < 3, let m = try await notify.next() {
                #expect(m == "WATCHDOG=1")
                pings += 1
            }
            let elapsed = ContinuousClock.now - started
            #expect(pings == 3)
            // Three pings at 100 ms spacing: the first may come at once, the third after ~200 ms.
            #expect(elapsed >= .milliseconds(150) && elapsed < .seconds(2), "\(elapsed)")
            await daemon.shutdown()
            try await group.waitForAll()
        }
    }

    /// An edit made while the first compile runs (before the service loop starts) must still
    /// be picked up: the watches exist before that compile.
    @Test func editDuringFirstCompile_isPickedUpAfterStart() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        mkdir(dir.path + "/policies", 0o755)
        try writeFile(dir.path + "/policies/a.yaml", "a")
        let calls = Atomic<Int>(0)
        let policies = dir.path + "/policies"
        // The first compile reads the directory, then the edit lands before it returns.
        let compile: SnapshotCompiler<[String]> = { directory in
            let result = try await compileFileList(directory)
            if calls.add(1, ordering: .relaxed).oldValue == 0 {
                try replaceFile(policies + "/b.yaml", "b", stagingDirectory: dir.path)
            }
            return result
        }
        let daemon = ArbiterDaemon(configuration: configuration(dir), identity: ServerIdentity(version: "9.9.9", build: "test"),
                                   decisions: FileListDecisions(), logger: testLogger, handleTerminationSignals: false,
                                   compile: compile)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await daemon.run() }
            let reloaded = await eventually { daemon.store.current().snapshot?.count == 2 }
            #expect(reloaded, "the edit made during the first compile was lost: \(String(describing: daemon.store.current().snapshot))")
            await daemon.shutdown()
            try await group.waitForAll()
        }
    }

    @Test func firstCompileFailure_failsStartup_withDiagnostics() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        mkdir(dir.path + "/policies", 0o755)
        try writeFile(dir.path + "/policies/a.yaml", "BROKEN")
        let error = await #expect(throws: DaemonStartupError.self) { try await makeDaemon(configuration(dir)).run() }
        #expect(error?.description.contains("a.yaml:1:1: broken policy") == true)
    }

    @Test func firstCompileFailure_withStartWithoutPolicies_servesNotServingUntilFixed() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        mkdir(dir.path + "/policies", 0o755)
        try writeFile(dir.path + "/policies/a.yaml", "BROKEN")
        var config = configuration(dir)
        config.startWithoutPolicies = true
        let daemon = makeDaemon(config)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await daemon.run() }
            #expect(await eventually { acceptsConnections(config.socketPath) })
            let client = try await ArbiterClient.connect(path: config.socketPath)
            #expect(try text(try await client.health()).contains(#""status":"NOT_SERVING""#))
            try writeFile(dir.path + "/policies/a.yaml", "ok")
            #expect(try await eventually { try text(try await client.health()).contains(#""status":"SERVING""#) })
            await client.close()
            await daemon.shutdown()
            try await group.waitForAll()
        }
    }

    @Test func shutdownUnderLoad_losesNoResponse() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        mkdir(dir.path + "/policies", 0o755)
        try writeFile(dir.path + "/policies/a.yaml", "a")
        let config = configuration(dir)
        let daemon = makeDaemon(config)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await daemon.run() }
            #expect(await eventually { acceptsConnections(config.socketPath) })
            let client = try await ArbiterClient.connect(path: config.socketPath)
            // Pipeline a batch, then shut down while it is in flight: every request the server
            // received must be answered before its connection closes.
            let progress = Atomic<Int>(0)
            let answered = try await withThrowingTaskGroup(of: Bool.self) { calls in
                for i in 0..<400 {
                    calls.addTask {
                        do {
                            let v = try await client.checkResources(checkRequest("u\(i)"))
                            #expect(try text(v).contains(#""principal":"u\#(i)""#))
                            progress.add(1, ordering: .relaxed)
                            return true
                        } catch ArbiterClientError.connectionClosed {
                            // Sent after the server stopped reading: never received, so not lost.
                            return false
                        }
                    }
                }
                #expect(await eventually { progress.load(ordering: .relaxed) >= 20 })
                await daemon.shutdown()
                var ok = 0
                for try await r in calls where r { ok += 1 }
                return ok
            }
            #expect(answered >= 20)
            try await group.waitForAll()
            await client.close()
        }
    }
}
