#if canImport(Glibc)
import Glibc
#endif
import ArbiterServer
// For `struct stat`'s members on Linux (see Sources/ArbiterServer/Audit/AuditFileSink.swift).
import CoreFoundation
import Testing

@Suite struct ListeningSocketTests {
    @Test func bind_setsModeBeforeListening() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let s = try ListeningSocket.bind(path: dir.path + "/s.sock", mode: 0o600, group: getgid(), logger: testLogger)
        defer { close(s.descriptor) }
        var st = stat()
        #expect(stat(dir.path + "/s.sock", &st) == 0)
        #expect(st.st_mode & 0o777 == 0o600)
        #expect(st.st_mode & S_IFMT == S_IFSOCK)
    }

    @Test func staleSocket_isReplaced() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.path + "/s.sock"
        let first = try ListeningSocket.bind(path: path, mode: 0o660, group: nil, logger: testLogger)
        close(first.descriptor)  // the file stays, nobody listens: stale
        let second = try ListeningSocket.bind(path: path, mode: 0o660, group: nil, logger: testLogger)
        close(second.descriptor)
    }

    @Test func liveSocket_isNotStolen() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.path + "/s.sock"
        let live = try ListeningSocket.bind(path: path, mode: 0o660, group: nil, logger: testLogger)
        defer { close(live.descriptor) }
        let error = #expect(throws: SocketSetupError.self) {
            try ListeningSocket.bind(path: path, mode: 0o660, group: nil, logger: testLogger)
        }
        #expect(error?.message.contains("another server is already listening") == true)
    }

    @Test(arguments: ["directory", "regular file"])
    func pathThatIsNotASocket_isNeverDeleted(kind: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.path + "/s.sock"
        if kind == "directory" { mkdir(path, 0o755) } else { try writeFile(path, "keep me") }
        let error = #expect(throws: SocketSetupError.self) {
            try ListeningSocket.bind(path: path, mode: 0o660, group: nil, logger: testLogger)
        }
        #expect(error?.message.contains("is a \(kind); refusing to delete it") == true)
        var st = stat()
        #expect(lstat(path, &st) == 0)
    }

    @Test func tooLongPath_isAClearError() throws {
        let path = "/tmp/" + String(repeating: "x", count: 120)
        let error = #expect(throws: SocketSetupError.self) {
            try ListeningSocket.bind(path: path, mode: 0o660, group: nil, logger: testLogger)
        }
        #expect(error?.message.contains("must be shorter than") == true)
    }

    @Test func peerCredentials_pidZero_isExplained() {
        #expect(PeerCredentials(pid: 0, uid: 5, gid: 6).description == "pid=0 (peer is in another PID namespace) uid=5 gid=6")
        #expect(PeerPolicy(allowedUIDs: [], allowedGIDs: [6]).allows(PeerCredentials(pid: 1, uid: 5, gid: 6)))
        #expect(!PeerPolicy(allowedUIDs: [1], allowedGIDs: [2]).allows(PeerCredentials(pid: 1, uid: 5, gid: 6)))
    }
}
