#if canImport(Glibc)
import Glibc
#endif
import ArbiterJSON
import CEL
import Foundation
import Synchronization
import Testing

/// The built `arbiter serve` with decision logs to a file, stopped by SIGTERM under pipelined
/// load: every answered request has its entry in the file, each under the call id answered.
@Suite(.serialized) struct AuditLiveTests {
    @Test func sigtermUnderPipelinedLoad_flushesAnEntryForEveryAnsweredRequest() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let policies = dir.path + "/policies"
        mkdir(policies, 0o755)
        try writeFile(policies + "/document.yaml", DaemonChild.policy)
        let path = dir.path + "/arbiter.sock"
        let auditPath = dir.path + "/audit.log"
        let daemon = try DaemonChild(arguments: [
            "--policies", policies, "--socket", path, "--log-level", "info",
            "--set", "audit.enabled=true", "--set", "audit.decisionLogsEnabled=true",
            "--set", "audit.backend=file", "--set", "audit.file.path=\(auditPath)",
        ], workDirectory: dir.path)
        let up = await eventually(timeout: .seconds(60)) { acceptsConnections(path) }
        try #require(up, "the daemon never listened: \(daemon.log())")

        let connections = 4
        let outcomes = try await PipeliningClient.loadThenSIGTERM(path: path, pid: daemon.pid, connections: connections)
        let status = await daemon.waitForExit(timeout: .seconds(20))
        #expect(status == 0, "exit status \(String(describing: status)); log: \(daemon.log())")
        let total = outcomes.reduce(0) { $0 + $1.answered }
        #expect(total >= 200 * connections, "\(outcomes)")
        let lines = try String(contentsOfFile: auditPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == total, "answered \(total), logged \(lines.count)")
        var ids = Set<String>()
        for line in lines {
            guard case let .map(entry) = try JSONReader.parse(Array(line.utf8)),
                  case let .string(id)? = entry[string: "callId"] else {
                Issue.record("not an entry: \(line.prefix(200))")
                return
            }
            ids.insert(id)
        }
        #expect(ids.count == lines.count)
        var info = stat()
        #expect(stat(auditPath, &info) == 0 && info.st_mode & 0o777 == 0o640)
    }
}
