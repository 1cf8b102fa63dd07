#if canImport(Glibc)
import Glibc
#endif
import ArbiterJSON
import ArbiterServer
import CEL
import Logging
import Testing

/// A decision engine double: the snapshot is the list of policy file names; CheckResources
/// answers with that list and the principal id, so tests can see which snapshot served them.
struct FileListDecisions: DecisionService {
    typealias Snapshot = [String]

    func checkResources(_ params: Value, snapshot: [String]) throws -> Value {
        guard case let .map(p) = params, case let .map(principal)? = p[string: "principal"],
              case let .string(id)? = principal[string: "id"] else {
            throw RPCError.invalidParams(field: "principal.id", reason: "principal.id is required")
        }
        if id == "explode" { throw PlainFailure() }
        return .map(MapValue(stringKeyed: [
            ("principal", .string(id)),
            ("files", .list(snapshot.map { .string($0) })),
        ]))
    }
}

struct PlainFailure: Error {}

let testLogger: Logger = {
    var l = Logger(label: "arbiter.test")
    l.logLevel = .critical
    return l
}()

/// Parses a JSON string into a value, failing the test on bad JSON.
func json(_ text: String) throws -> Value { try JSONReader.parse(text) }

/// Renders a value as JSON text for comparisons.
func text(_ value: Value) throws -> String { try JSONWriter.encodeString(value) }

/// A fresh temporary directory, removed by `cleanup`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/arbiter-test-XXXXXX".utf8CString)
        guard let p = mkdtemp(&template) else { throw TestSetupError("mkdtemp failed") }
        path = String(cString: p)
    }

    func cleanup() {
        _ = shell("rm -rf '\(path)'")
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Runs a shell command (file-system choreography for watcher tests); returns its exit status.
@discardableResult
func shell(_ command: String) -> Int32 {
    system(command)
}

func writeFile(_ path: String, _ contents: String) throws {
    guard let f = fopen(path, "w") else { throw TestSetupError("cannot write \(path)") }
    _ = contents.withCString { fputs($0, f) }
    fclose(f)
}

/// Writes `contents` to a sibling temporary file outside the watched tree and renames it into
/// place, so the watcher sees exactly one event (IN_MOVED_TO). A plain write produces several
/// events that a loaded machine can spread over more than one debounce window, which would make
/// a test that counts reloads see an extra one.
/// The staging file is unique (mkstemp): tests run concurrently and share a staging directory.
func replaceFile(_ path: String, _ contents: String, stagingDirectory: String) throws {
    var template = Array((stagingDirectory + "/.staging-XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw TestSetupError("cannot create a staging file in \(stagingDirectory)") }
    close(fd)
    let staging = String(cString: template)
    try writeFile(staging, contents)
    guard rename(staging, path) == 0 else {
        unlink(staging)
        throw TestSetupError("cannot rename \(staging) into \(path): \(String(cString: strerror(errno)))")
    }
}

/// Whether a stream connection to the Unix socket at `path` succeeds now. Tests wait for this
/// rather than for the file: a daemon binds the path a moment before it listens, and a connect
/// in between is refused.
func acceptsConnections(_ path: String) -> Bool {
    guard let fd = try? unixSocket(path, type: CInt(SOCK_STREAM.rawValue), connecting: true, receiveTimeoutSeconds: 1) else { return false }
    close(fd)
    return true
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes. The default is generous and
/// the tests whose daemon or watcher runs in this process use it: in `make test`'s full run the
/// first 17-19 s are a stall in which even pure unit tests wait for a thread
/// (`fractionBeyondNanoseconds_isTruncated` reported 16.7 s and 19.1 s in two clean-clone runs of
/// 2026-12-08), so an in-process reload that a test awaited then used up a 20 s budget before it
/// could run, and four tests failed in a third run. (Work in a child process goes on during the
/// stall, and the check after the deadline sees it, so those tests keep their own bounds.) A
/// condition that never holds still fails; it only takes longer to say so.
func eventually(timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// Lists the regular files below `directory` (following the root symlink, skipping hidden
/// entries), sorted: the stub compile closure used by the watcher tests.
func listPolicyFiles(_ directory: String) -> [String] {
    var result: [String] = []
    func walk(_ dir: String, _ prefix: String) {
        guard let d = opendir(dir) else { return }
        defer { closedir(d) }
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasPrefix(".") { continue }
            var st = stat()
            guard stat(dir + "/" + name, &st) == 0 else { continue }
            if st.st_mode & S_IFMT == S_IFDIR { walk(dir + "/" + name, prefix + name + "/") } else { result.append(prefix + name) }
        }
    }
    walk(directory, "")
    return result.sorted()
}
