#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import ArbiterEngine
import ArbiterHTTP
import ArbiterJSON
import ArbiterPolicy
import ArbiterServer
import ArbiterTestSupport
import CEL
import Logging
import NIOCore
import NIOHTTP1
import OrderedCollections

/// Locates the shared Cerbos conformance data.
enum ConformanceData {
    static let variable = TestPaths.conformanceVariable

    /// `TestPaths.conformance`: `$ARBITER_CONFORMANCE_DIR`, else `<package root>/../shared/conformance`.
    static var root: String { TestPaths.conformance }

    static var packageRoot: String { TestPaths.packageRoot }

    static var store: String { root + "/cerbos/store" }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// The names in `directory` ending in `suffix`, sorted.
    static func files(in directory: String, suffix: String = ".yaml") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
    }

    static func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { Array($0) }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

let testLogger: Logger = {
    var l = Logger(label: "arbiter.http.test")
    l.logLevel = .critical
    return l
}()

/// The engine settings the Cerbos engine cases need (`globals.environment`).
func conformanceServerConfiguration() -> ServerConfiguration {
    var c = ServerConfiguration()
    c.policyDirectory = ConformanceData.store
    c.globals = ["environment": .string("test")]
    return c
}

/// A store holding the conformance policies compiled as `arbiter serve` compiles them.
func conformanceStore() async throws -> PolicyStore<Engine> {
    let config = conformanceServerConfiguration()
    guard ConformanceData.exists(config.policyDirectory) else {
        throw TestSetupError("conformance store not found at \(config.policyDirectory); set \(ConformanceData.variable)")
    }
    let compiled = try await EngineCompilation.compiler(configuration: config.engineConfiguration)(config.policyDirectory)
    let store = PolicyStore<Engine>()
    store.publish(compiled.snapshot, policyCount: compiled.policyCount, record: ReloadRecord(
        time: Timestamp(seconds: 0), outcome: .success, diagnostics: [], durationMilliseconds: 0, trigger: "test"))
    return store
}

/// The API over the conformance store.
func conformanceAPI(limits: AuthZENLimits = AuthZENLimits()) async throws -> CerbosHTTPAPI<EngineDecisionService> {
    CerbosHTTPAPI(decisions: EngineDecisionService(), store: try await conformanceStore(),
                  identity: ServerIdentity(version: "1.2.3", build: "abc123"), limits: limits, logger: testLogger)
}

extension CerbosHTTPAPI {
    /// Sends one request with a JSON body.
    func send(_ method: HTTPMethod, _ uri: String, _ body: String = "", headers: [(String, String)] = []) -> HTTPAPIResponse {
        var h = HTTPHeaders(headers)
        if !body.isEmpty, h.first(name: "content-type") == nil { h.add(name: "content-type", value: "application/json") }
        return respond(to: HTTPAPIRequest(method: method, uri: uri, headers: h, body: ByteBuffer(string: body)))
    }
}

extension HTTPAPIResponse {
    /// The body parsed as JSON.
    func json() throws -> Value { try JSONReader.parse(body) }
}

/// A leave-request CheckResources body from the conformance store (server cr_case_04's shape).
let leaveRequestCheck = """
{"requestId":"test","principal":{"id":"john","policyVersion":"20210210","roles":["employee"],
 "attr":{"department":"marketing","geography":"GB","team":"design"}},
 "resources":[{"actions":["view:public","approve"],"resource":{"kind":"leave_request","policyVersion":"20210210","id":"XX125",
 "attr":{"department":"marketing","geography":"GB","id":"XX125","owner":"john","team":"design"}}}]}
"""

/// A value at a path of map keys and list indices, nil when absent.
func lookup(_ value: Value, _ path: Any...) -> Value? {
    var current = value
    for step in path {
        switch (current, step) {
        case let (.map(m), key as String):
            guard let next = m[string: key] else { return nil }
            current = next
        case let (.list(items), index as Int):
            guard index < items.count else { return nil }
            current = items[index]
        default:
            return nil
        }
    }
    return current
}

/// A response object without its `cerbosCallId`, which is fresh for every answer.
func withoutCallID(_ value: Value) -> Value {
    guard case let .map(m) = value else { return value }
    var members = m.storage
    members[.string("cerbosCallId")] = nil
    return .map(MapValue(members))
}

func stringValue(_ v: Value?) -> String? {
    if case let .string(s)? = v { return s }
    return nil
}

/// A JSON number as a double, nil for anything else.
func number(_ v: Value?) -> Double? {
    switch v {
    case let .double(d)?: return d
    case let .int(i)?: return Double(i)
    case let .uint(u)?: return Double(u)
    default: return nil
    }
}

/// The built `arbiter serve` as a child process over the conformance store, with the HTTP API on
/// `<dir>/http.sock` and JSON-RPC on `<dir>/arbiter.sock`, configured by a YAML file as an
/// operator would. A child process, not an in-process daemon: the daemon's SIGHUP handler and
/// systemd notifications are process-wide, and the server suites run their own daemons beside.
final class ArbiterProcess {
    let directory: String
    let process = Process()
    var logPath: String { directory + "/arbiter.log" }
    var httpSocket: String { directory + "/http.sock" }
    var jsonRPCSocket: String { directory + "/arbiter.sock" }

    /// `ARBITER_BINARY`, else `.build/debug/arbiter` (`swift build --build-tests` builds it).
    static func binary() throws -> String {
        let path = ProcessInfo.processInfo.environment["ARBITER_BINARY"] ?? ConformanceData.packageRoot + "/.build/debug/arbiter"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSetupError("no arbiter executable at \(path); build it with `swift build --build-tests` or set ARBITER_BINARY")
        }
        return path
    }

    /// The configuration file's text: the conformance store, JSON-RPC on `<directory>/arbiter.sock`,
    /// `server:` lines `serverLines` added (the HTTP address, by default on `<directory>/http.sock`).
    static func configuration(directory: String, serverLines: String? = nil) -> String {
        """
        storage:
          driver: disk
          disk:
            directory: "\(ConformanceData.store)"
            watchForChanges: false
        engine:
          globals:
            environment: test
        server:
          shutdownGracePeriod: 3s
          socket:
            path: "\(directory)/arbiter.sock"
        \(serverLines ?? "  httpListenAddr: \"unix:\(directory)/http.sock\"")
        """
    }

    /// Starts the daemon; `extraServer` lines are added under `server:`.
    init(in directory: String, extraServer: String = "") throws {
        self.directory = directory
        let config = Self.configuration(directory: directory, serverLines: "  httpListenAddr: \"unix:\(directory)/http.sock\"\n" + extraServer)
        try config.write(toFile: directory + "/arbiter.yaml", atomically: true, encoding: .utf8)
        guard FileManager.default.createFile(atPath: directory + "/arbiter.log", contents: nil) else {
            throw TestSetupError("cannot create \(directory)/arbiter.log")
        }
        process.executableURL = URL(fileURLWithPath: try Self.binary())
        process.arguments = ["serve", "--config", directory + "/arbiter.yaml", "--log-level", "warning"]
        // Not the test process's systemd variables: another suite points NOTIFY_SOCKET at its
        // own fake socket while its daemon runs, and this daemon must not talk to it.
        var environment = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"] {
            environment[key] = nil
        }
        process.environment = environment
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/arbiter.log"))
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    /// The daemon's output so far.
    func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits until the HTTP socket accepts connections (up to 60 s on a loaded machine).
    func waitUntilListening() async throws -> RawHTTPClient {
        var lastError: (any Error)?
        for _ in 0..<600 {
            guard process.isRunning else { throw TestSetupError("arbiter exited with \(process.terminationStatus): \(log())") }
            do { return try RawHTTPClient(unixPath: httpSocket) } catch { lastError = error }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSetupError("arbiter did not listen on \(httpSocket): \(lastError.map { "\($0)" } ?? "") \(log())")
    }

    /// Waits for the process to exit (off the cooperative pool) and returns its status.
    func waitForExit() async -> Int32 {
        await withCheckedContinuation { continuation in
            DispatchQueue(label: "arbiter-process-wait").async {
                self.process.waitUntilExit()
                continuation.resume(returning: self.process.terminationStatus)
            }
        }
    }

    /// SIGTERM (graceful shutdown), then waits; returns the exit status.
    func stop() async -> Int32 {
        if process.isRunning { process.terminate() }
        return await waitForExit()
    }
}
