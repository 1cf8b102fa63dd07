#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing

/// The built `arbiter serve` binary as systemd runs it: adopting a socket passed by socket
/// activation, and ending on SIGTERM in the middle of pipelined load without losing a response.
@Suite(.serialized) struct ServeProcessLiveTests {
    func makePolicies(_ dir: TemporaryDirectory) throws -> String {
        let policies = dir.path + "/policies"
        mkdir(policies, 0o755)
        try writeFile(policies + "/document.yaml", DaemonChild.policy)
        return policies
    }

    /// A listening Unix socket bound by the test, as systemd would pass it.
    func listeningSocket(path: String) throws -> CInt {
        let fd = socket(AF_UNIX, CInt(SOCK_STREAM.rawValue), 0)
        let rc = withUnixAddress(path) { bind(fd, $0, $1) }
        guard rc == 0, listen(fd, 16) == 0 else { throw TestSetupError("bind/listen \(path): \(String(cString: strerror(errno)))") }
        return fd
    }

    @Test func socketActivation_servesOnThePassedSocket_insteadOfBinding() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let policies = try makePolicies(dir)
        let activated = dir.path + "/activated.sock"
        let configured = dir.path + "/configured.sock"
        let listener = try listeningSocket(path: activated)
        let daemon = try DaemonChild(arguments: ["--policies", policies, "--socket", configured, "--log-level", "info"],
                                     workDirectory: dir.path, listeningSocket: listener)
        // The daemon owns the socket now; the test keeps only the path.
        close(listener)

        // The kernel queues the connection until the daemon accepts it after its first compile.
        let client = try PipeliningClient(path: activated)
        #expect(client.send(DaemonChild.checkPayload(id: 7)))
        let answer = await onOwnThread { client.readFrame() }
        guard case let .frame(bytes) = answer else {
            Issue.record("no response through the activated socket: \(answer); log: \(daemon.log())")
            return
        }
        #expect(PipeliningClient.checkResponse(bytes, id: 7) == nil, "\(String(decoding: bytes, as: UTF8.self))")
        #expect(access(configured, F_OK) != 0, "the daemon bound its configured path although systemd passed a socket")
        #expect(daemon.log().contains("socket activation"), "\(daemon.log())")

        kill(daemon.pid, SIGTERM)
        let status = await daemon.waitForExit(timeout: .seconds(20))
        #expect(status == 0, "\(daemon.log())")
    }

    /// The shutdown contract (docs/protocol.md): on SIGTERM every request whose frame reached
    /// the daemon is answered with a complete response, in order; then the stream ends with
    /// EOF, and the process exits 0.
    @Test func sigtermDuringPipelinedLoad_answersEveryReceivedRequest_thenEOF_andExitsZero() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let policies = try makePolicies(dir)
        let path = dir.path + "/arbiter.sock"
        let daemon = try DaemonChild(arguments: ["--policies", policies, "--socket", path, "--log-level", "info"],
                                     workDirectory: dir.path)
        let up = await eventually(timeout: .seconds(60)) { acceptsConnections(path) }
        try #require(up, "the daemon never listened: \(daemon.log())")

        let connections = 4
        let outcomes = try await PipeliningClient.loadThenSIGTERM(path: path, pid: daemon.pid, connections: connections)
        let status = await daemon.waitForExit(timeout: .seconds(20))
        #expect(status == 0, "exit status \(String(describing: status)); log: \(daemon.log())")
        for outcome in outcomes {
            #expect(outcome.problems.isEmpty, "\(outcome)")
            #expect(outcome.cleanEndOfStream, "\(outcome)")
            #expect(outcome.answered >= 1 && outcome.answered <= outcome.sent, "\(outcome)")
        }
        // The load was really in flight when the signal came: requests were still being sent.
        #expect(outcomes.reduce(0) { $0 + $1.answered } >= 200 * connections, "\(outcomes)")
    }
}
