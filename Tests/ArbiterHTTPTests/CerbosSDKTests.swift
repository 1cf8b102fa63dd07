import ArbiterEngine
import ArbiterHTTP
import ArbiterJSON
import ArbiterPolicy
import ArbiterServer
import ArbiterYAML
import CEL
import Dispatch
import Foundation
import OrderedCollections
import Testing

/// Cerbos's official Python SDK (`cerbos` from PyPI, unmodified, installed by `make deps` through
/// packaging/http-sdk-deps.sh into .build/cerbos-sdk-venv) against the daemon's HTTP API on a
/// Unix socket, serving the conformance store: health, server info, and every engine case of
/// `cerbos/engine` sent with `check_resources` and `is_allowed`.
@Suite(.serialized) struct CerbosSDKTests {
    static let python = ConformanceData.packageRoot + "/.build/cerbos-sdk-venv/bin/python"
    static let script = ConformanceData.packageRoot + "/Tests/ArbiterHTTPTests/sdk/cerbos_sdk_client.py"

    /// Engine cases the SDK cannot run, each with the reason.
    static let knownFailures: [String: String] = [
        "case_38.yaml#0": "an output expression fails, so the output entry carries `error` and no `val`, as Cerbos answers too; "
            + "the SDK 0.16.1's OutputEntry requires `val` and its response decoding raises KeyError",
    ]

    struct EngineCase {
        var key: String
        var request: Value
        var want: [String: String]
    }

    @Test func sdk_healthServerInfoAndEveryEngineCase_getTheWantedEffects() async throws {
        let cases = try Self.engineCases()
        try #require(!cases.isEmpty, "no engine cases found under \(ConformanceData.root)/cerbos/engine")
        let output = try await Self.runSDK(cases: cases, plan: false)
        #expect(lookup(output, "healthy") == .bool(true))
        #expect(lookup(output, "healthyCerbosService") == .bool(true))
        #expect(lookup(output, "healthyUnknownService") == .bool(false))
        #expect(number(lookup(output, "serverInfo", "status")) == 200)
        let version = try await Self.runProcess(try ArbiterProcess.binary(), ["--version"], stderrPath: nil).1
        #expect(stringValue(lookup(output, "serverInfo", "body", "version")) == version.trimmingCharacters(in: .whitespacesAndNewlines))

        guard case let .list(results)? = lookup(output, "cases") else {
            Issue.record("the SDK run returned no case results: \(output)")
            return
        }
        #expect(results.count == cases.count)
        var passed = 0, known = 0, decisions = 0, decisionsMatched = 0
        var unexpected: [String] = []
        for (engineCase, result) in zip(cases, results) {
            var problems: [String] = []
            decisions += engineCase.want.count
            if let error = stringValue(lookup(result, "error")) {
                problems.append("the SDK failed: \(error)")
            } else {
                #expect(stringValue(lookup(result, "requestId")) == engineCase.key)
                for (action, effect) in engineCase.want.sorted(by: { $0.key < $1.key }) {
                    let got = stringValue(lookup(result, "effects", action))
                    let allowed = lookup(result, "isAllowed", action)
                    if got == effect && allowed == .bool(effect == "EFFECT_ALLOW") {
                        decisionsMatched += 1
                    } else {
                        problems.append("\(action): check_resources \(got ?? "missing"), is_allowed \(allowed.map { "\($0)" } ?? "missing"), want \(effect)")
                    }
                }
            }
            if problems.isEmpty {
                passed += 1
            } else if Self.knownFailures[engineCase.key] != nil {
                known += 1
            } else {
                unexpected.append("\(engineCase.key): " + problems.joined(separator: "; "))
            }
        }
        print("[conformance] engine via the Cerbos Python SDK over HTTP: inputs \(passed)/\(cases.count), decisions \(decisionsMatched)/\(decisions), known failures \(known)")
        for failure in unexpected { Issue.record(Comment(rawValue: failure)) }
    }

    /// The SDK's plan_resources over HTTP gets a filter for the first engine case's first action.
    @Test func sdk_planResources_getsAFilter() async throws {
        let cases = try Self.engineCases()
        let output = try await Self.runSDK(cases: Array(cases.prefix(1)), plan: true)
        #expect(stringValue(lookup(output, "plan", "kind"))?.hasPrefix("KIND_") == true, "\(output)")
    }

    /// Every input of every `cerbos/engine/*.yaml` case with its wanted effects.
    static func engineCases() throws -> [EngineCase] {
        let dir = ConformanceData.root + "/cerbos/engine"
        guard ConformanceData.exists(dir) else {
            throw TestSetupError("conformance data not found at \(dir); set \(ConformanceData.variable) to the conformance folder")
        }
        var cases: [EngineCase] = []
        for file in ConformanceData.files(in: dir) {
            guard let bytes = ConformanceData.read(dir + "/" + file) else { throw TestSetupError("cannot read \(dir)/\(file)") }
            guard let doc = try YAMLParser.parse(bytes, file: file).first, case let .map(testCase) = doc.protobufValue,
                  case let .list(inputs)? = testCase[string: "inputs"], case let .list(wants)? = testCase[string: "wantOutputs"] else {
                throw TestSetupError("\(file): not an engine case with inputs and wantOutputs")
            }
            for (i, input) in inputs.enumerated() where i < wants.count {
                var want: [String: String] = [:]
                if case let .map(actions)? = lookup(wants[i], "actions") {
                    for (key, value) in actions.storage {
                        if case let .string(action) = key, let effect = stringValue(lookup(value, "effect")) { want[action] = effect }
                    }
                }
                let key = "\(file)#\(i)"
                let request = Value.map(MapValue(stringKeyed: [
                    ("key", .string(key)),
                    ("principal", lookup(input, "principal") ?? .null),
                    ("resource", lookup(input, "resource") ?? .null),
                    ("actions", lookup(input, "actions") ?? .list([])),
                ]))
                cases.append(EngineCase(key: key, request: request, want: want))
            }
        }
        return cases
    }

    /// Starts `arbiter serve` (HTTP on a Unix socket, `server.httpListenAddr`), runs the SDK script
    /// against it, and returns the script's JSON output.
    static func runSDK(cases: [EngineCase], plan: Bool) async throws -> Value {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestSetupError("\(python) not found: `make deps` installs Cerbos's Python SDK there (packaging/http-sdk-deps.sh)")
        }
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let casesPath = dir.path + "/cases.json"
        try Data(JSONWriter.encode(.list(cases.map(\.request)))).write(to: URL(fileURLWithPath: casesPath))

        let daemon = try ArbiterProcess(in: dir.path)
        _ = try await daemon.waitUntilListening()
        let (status, stdout, stderr) = try await runProcess(
            python, [script, "unix:" + daemon.httpSocket, casesPath] + (plan ? ["--plan"] : []), stderrPath: dir.path + "/sdk.err")
        let stopped = await daemon.stop()
        guard status == 0 else { throw TestSetupError("the SDK script exited with \(status):\n\(stderr)") }
        guard stopped == 0 else { throw TestSetupError("arbiter exited with \(stopped) on SIGTERM: \(daemon.log())") }
        return try JSONReader.parse(Array(stdout.utf8))
    }

    /// Runs a process to completion off the cooperative pool; returns status, stdout, stderr
    /// (stderr goes through a file, so neither pipe can fill up while the other is read).
    /// Without `stderrPath`, stderr is discarded.
    static func runProcess(_ executable: String, _ arguments: [String], stderrPath: String?) async throws -> (Int32, String, String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "sdk-process").async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                let out = Pipe()
                process.standardOutput = out
                do {
                    if let stderrPath {
                        guard FileManager.default.createFile(atPath: stderrPath, contents: nil) else {
                            throw TestSetupError("cannot create \(stderrPath)")
                        }
                        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
                    } else {
                        process.standardError = FileHandle.nullDevice
                    }
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let outData = out.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                let errText = stderrPath.map { (try? String(contentsOfFile: $0, encoding: .utf8)) ?? "(stderr unreadable)" } ?? ""
                continuation.resume(returning: (process.terminationStatus, String(decoding: outData, as: UTF8.self), errText))
            }
        }
    }
}
