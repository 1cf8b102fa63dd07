#if canImport(Glibc)
import Glibc
#endif
import Synchronization

extension PipeliningClient {
    /// `connections` clients keep 16 CheckResources requests each in flight against the daemon
    /// `pid`; once 200 per connection have been answered (every connection is busy) the daemon
    /// gets SIGTERM, and each client's outcome is returned when its stream ends.
    static func loadThenSIGTERM(path: String, pid: pid_t, connections: Int) async throws -> [Outcome] {
        let clients = try (0..<connections).map { _ in try PipeliningClient(path: path) }
        let answered = Atomic<Int>(0)
        return await withTaskGroup(of: Outcome.self) { group in
            for client in clients {
                group.addTask {
                    await onOwnThread {
                        client.run(depth: 16, payload: DaemonChild.checkPayload(id:)) { answered.add(1, ordering: .relaxed) }
                    }
                }
            }
            _ = await eventually(timeout: .seconds(30)) { answered.load(ordering: .relaxed) >= 200 * connections }
            kill(pid, SIGTERM)
            var all: [Outcome] = []
            for await o in group { all.append(o) }
            return all
        }
    }
}
