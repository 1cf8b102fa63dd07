import ArbiterEngine
import ArbiterGRPC
import ArbiterJSON
import ArbiterPolicy
import ArbiterServer
import ArbiterTestSupport
import ArbiterYAML
import CEL
import Foundation
import Logging
import OrderedCollections
import Testing

/// The official Cerbos Python SDK (`cerbos` from PyPI, installed by `make deps` through
/// packaging/grpc-sdk-deps.sh) against the front end on a real Unix socket: every input of
/// Cerbos's engine cases (`../shared/conformance/cerbos/engine`) goes through `check_resources`
/// and `is_allowed`, and must get the wanted effects and outputs. Serialized: two Python clients
/// and their servers at once starved each other on a loaded 2-core machine.
@Suite(.serialized) struct CerbosSDKTests {
    static let packageRoot = TestPaths.packageRoot

    static var python: String {
        ProcessInfo.processInfo.environment["ARBITER_GRPC_SDK_PYTHON"] ?? packageRoot + "/.build/grpc-sdk-venv/bin/python"
    }

    static var conformanceRoot: String { TestPaths.conformance }

    /// In CI a missing venv is a failure, not a skip: `make deps` must have made it.
    static var canRun: Bool {
        FileManager.default.isExecutableFile(atPath: python) || !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty
    }

    /// Inputs whose expectation needs something the engine lacks, each with the reason; the
    /// engine's own conformance test lists the same ones.
    static let knownFailures: [String: String] = [:]

    @Test(.enabled(if: canRun, "the SDK venv .build/grpc-sdk-venv is missing: run `make deps`"))
    func officialSDK_getsTheWantedEffectsForEveryEngineCase() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            Issue.record("no Python with the cerbos SDK at \(Self.python): run `make deps` (packaging/grpc-sdk-deps.sh)")
            return
        }
        let dir = Self.conformanceRoot + "/cerbos/engine"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".yaml") }.sorted()
        try #require(!files.isEmpty, "no engine cases in \(dir); set ARBITER_CONFORMANCE_DIR")

        var cases: [Value] = []
        var wants: [String: Value] = [:]
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/" + file)))
            guard case let .map(testCase)? = try YAMLParser.parse(bytes, file: file).first?.protobufValue,
                  case let .list(inputs)? = testCase[string: "inputs"], case let .list(wanted)? = testCase[string: "wantOutputs"] else {
                Issue.record("\(file): no inputs/wantOutputs")
                continue
            }
            for (i, input) in inputs.enumerated() where i < wanted.count {
                guard case let .map(m) = input else { continue }
                let key = "\(file)#\(i)"
                cases.append(.map(MapValue(stringKeyed: [
                    ("key", .string(key)), ("requestId", m[string: "requestId"] ?? .string("")),
                    ("principal", m[string: "principal"] ?? .null), ("resource", m[string: "resource"] ?? .null),
                    ("actions", m[string: "actions"] ?? .list([])),
                ])))
                wants[key] = wanted[i]
            }
        }

        let engine = try Self.conformanceEngine()
        let request = Value.list(cases)
        let answers = try await LiveServer.with(engine: engine) { server in
            try await Self.runSDK(socket: server.socketPath, cases: request)
        }

        guard case let .map(top) = answers, case let .list(results)? = top[string: "results"] else {
            Issue.record("the SDK script wrote no results")
            return
        }
        #expect(top[string: "health"] == .map(MapValue(stringKeyed: [("", .string("SERVING")),
                                                                    ("cerbos.svc.v1.CerbosService", .string("SERVING"))])))
        if case let .map(info)? = top[string: "serverInfo"] {
            #expect(info[string: "version"] == .string(LiveServer.identity.version))
        } else {
            Issue.record("no serverInfo")
        }
        var passed = 0
        var failures: [String] = []
        for result in results {
            guard case let .map(r) = result, case let .string(key)? = r[string: "key"], let want = wants[key] else { continue }
            let problems = Self.compare(r, want)
            if problems.isEmpty {
                passed += 1
            } else if Self.knownFailures[key] == nil && Self.knownFailures[String(key.prefix { $0 != "#" })] == nil {
                failures.append("\(key): " + problems.joined(separator: "; "))
            }
        }
        print("[grpc-sdk] engine cases through the Cerbos Python SDK: \(passed) passed, \(results.count - passed) failed of \(cases.count)")
        #expect(results.count == cases.count)
        for failure in failures { Issue.record(Comment(rawValue: failure)) }
    }

    /// The conformance store as `EngineConformanceTests` builds it (globals `environment: test`).
    static func conformanceEngine() throws -> Engine {
        let load = PolicyLoader.load(directory: conformanceRoot + "/cerbos/store")
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler(checking: false)).compile(load)
        guard let set = compiled.policySet else { throw TestFailure("conformance store does not compile: \(compiled.diagnostics)") }
        return Engine(policySet: set, configuration: EngineConfiguration(globals: MapValue(stringKeyed: [("environment", .string("test"))])))
    }

    /// Runs the SDK script on `cases` and returns what it wrote. The script is waited for on a
    /// thread of its own: the server under test answers on Swift concurrency's cooperative
    /// threads (two on this machine), and blocking one of them in `waitUntilExit` while other
    /// tests block the rest starved the server until the client gave up waiting for SETTINGS.
    static func runSDK(socket: String, cases: Value) async throws -> Value {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("cases.json", try JSONWriter.encodeString(cases))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [packageRoot + "/Tests/ArbiterGRPCTests/sdk/cerbos_sdk_client.py", "unix:" + socket,
                             dir.path + "/cases.json", dir.path + "/results.json"]
        let stderr = Pipe()
        process.standardError = stderr
        let errors: Data = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "grpc-sdk-process").async {
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let errors = stderr.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: errors)
            }
        }
        guard process.terminationStatus == 0 else {
            throw TestFailure("the SDK script failed (\(process.terminationStatus)): \(String(decoding: errors, as: UTF8.self))")
        }
        return try JSONReader.parse([UInt8](Data(contentsOf: URL(fileURLWithPath: dir.path + "/results.json"))))
    }

    /// Effects and `is_allowed` per action, and outputs (src, action, value), against the case.
    static func compare(_ got: MapValue, _ want: Value) -> [String] {
        if case let .string(error)? = got[string: "error"] { return ["SDK call failed: \(error)"] }
        guard case let .map(w) = want else { return ["expectation is not an object"] }
        var problems: [String] = []
        guard case let .map(effects)? = got[string: "effects"], case let .map(allowed)? = got[string: "isAllowed"] else {
            return ["no effects in the answer"]
        }
        if case let .map(actions)? = w[string: "actions"] {
            for (key, expected) in actions.storage {
                guard case let .string(action) = key, case let .map(e) = expected else { continue }
                let wantEffect = e[string: "effect"] ?? .null
                if effects[string: action] != wantEffect {
                    problems.append("\(action): got \(String(describing: effects[string: action])), want \(wantEffect)")
                }
                if allowed[string: action] != .bool(wantEffect == .string("EFFECT_ALLOW")) {
                    problems.append("\(action): is_allowed gave \(String(describing: allowed[string: action]))")
                }
            }
        }
        func outputKeys(_ v: Value?, value: String) -> [String] {
            guard case let .list(items)? = v else { return [] }
            return items.compactMap { item in
                guard case let .map(m) = item else { return nil }
                let rendered = (m[string: value]).map { (try? JSONWriter.encodeString(canonical($0))) ?? "?" } ?? "-"
                return "\(m[string: "src"] ?? .null)|\(m[string: "action"] ?? .null)|\(rendered)"
            }.sorted()
        }
        let gotOutputs = outputKeys(got[string: "outputs"], value: "val")
        let wantOutputs = outputKeys(w[string: "outputs"], value: "val")
        if gotOutputs != wantOutputs { problems.append("outputs: got \(gotOutputs), want \(wantOutputs)") }
        return problems
    }

    /// Maps with sorted keys, so renderings compare whatever order each side wrote.
    static func canonical(_ v: Value) -> Value {
        switch v {
        case let .list(items): return .list(items.map(canonical))
        case let .map(m):
            let pairs = m.storage.compactMap { k, v -> (String, Value)? in
                guard case let .string(s) = k else { return nil }
                return (s, canonical(v))
            }.sorted { $0.0 < $1.0 }
            return .map(MapValue(stringKeyed: pairs))
        case let .int(i): return .double(Double(i))
        default: return v
        }
    }
}
