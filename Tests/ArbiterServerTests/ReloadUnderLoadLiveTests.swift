import ArbiterClient
import ArbiterServer
import CEL
import Synchronization
import Testing

@Suite struct ReloadUnderLoadLiveTests {
    /// 8 pipelining connections while 100 reloads happen, every other one failing: no request
    /// fails and no response mixes two snapshots.
    @Test func pipelinedChecksDuringHundredReloads_neverFailOrMixSnapshots() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let counter = Atomic<Int>(0)
        // Each snapshot is five copies of one generation tag; a response that is not uniform
        // would have been assembled from two snapshots.
        let compile: SnapshotCompiler<[String]> = { _ in
            let n = counter.add(1, ordering: .relaxed).newValue
            if n % 2 == 0 { throw PolicyCompileFailure(diagnostics: ["broken #\(n)"]) }
            return CompiledPolicies(snapshot: Array(repeating: "g\(n)", count: 5), policyCount: 5)
        }
        try await withLiveServer { path, store in
            let watcher = try PolicyWatcher(directory: dir.path, store: store, options: .init(watchForChanges: false),
                                            logger: testLogger, compile: compile)
            let stop = Atomic<Bool>(false)
            let served = Atomic<Int>(0)
            let checked = try await withThrowingTaskGroup(of: Int.self) { group in
                for c in 0..<8 {
                    group.addTask {
                        let client = try await ArbiterClient.connect(path: path)
                        var count = 0
                        while !stop.load(ordering: .relaxed) {
                            let batch = try await withThrowingTaskGroup(of: Value.self) { calls in
                                for i in 0..<16 { calls.addTask { try await client.checkResources(checkRequest("c\(c)-\(i)")) } }
                                var all: [Value] = []
                                for try await v in calls { all.append(v) }
                                return all
                            }
                            for v in batch {
                                guard case let .map(m) = v, case let .list(files)? = m[string: "files"] else {
                                    Issue.record("unexpected result \(v)")
                                    continue
                                }
                                let tags = Set(files.map { try? text($0) })
                                #expect(files.count == 5 || files.count == 1, "\(files)")
                                #expect(tags.count == 1, "mixed snapshot: \(files)")
                            }
                            count += batch.count
                            served.add(batch.count, ordering: .relaxed)
                        }
                        await client.close()
                        return count
                    }
                }
                // Reload only while all connections are busy, spread over the load.
                #expect(await eventually { served.load(ordering: .relaxed) >= 8 * 16 })
                for _ in 0..<100 {
                    await watcher.reload(trigger: "test")
                    try await Task.sleep(for: .milliseconds(2))
                }
                let servedDuringReloads = served.load(ordering: .relaxed)
                stop.store(true, ordering: .relaxed)
                var total = 0
                for try await n in group { total += n }
                #expect(total >= servedDuringReloads)
                return total
            }
            #expect(checked > 0)
            let current = store.current()
            #expect(current.generation == 51, "one initial snapshot plus 50 successful reloads")
            #expect(current.lastReload?.outcome == .failure)
        }
    }
}
