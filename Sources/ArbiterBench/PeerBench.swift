import ArbiterEngine
import ArbiterJSON
import ArbiterPolicy
import CEL
#if canImport(Glibc)
import Glibc
#endif

/// Peers in the same run (issue 7 §4): Google's C++ CEL and a Rust CEL on the CEL group's
/// expressions, and Cedar (`cedarpy.is_authorized_batch`) on the same requests as Arbiter,
/// after checking that both engines decide them the same way. Peers run through
/// bench/peers.py, so their figures include a Python call.
enum PeerBench {
    static func run(report: BenchReport, quick: Bool) throws {
        let python = try pythonPath()
        let dir = try makeTemporaryDirectory("arbiter-bench-peers")
        defer { removeTree(dir) }

        // Arbiter's side of the authorization comparison: the generated root policy for one kind.
        let generator = PolicyGenerator(kinds: 1, policiesPerKind: 1, derivedRoleSets: 1)
        try generator.write(to: dir + "/policies")
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(PolicyLoader.load(directory: dir + "/policies"))
        guard let set = compiled.policySet, compiled.diagnostics.isEmpty else {
            throw BenchFailure("comparison policies do not compile: \(compiled.diagnostics.prefix(3).map(\.description))")
        }
        let engine = Engine(policySet: set)
        let synthetic = SyntheticRequests(count: quick ? 400 : 2000, kinds: 1, scopes: [""], seed: 7)
        var requests: [CheckResourcesRequest] = []
        for i in 0..<synthetic.items.count { requests.append(try CheckResourcesRequest(from: synthetic.request(i))) }
        var arbiterDecisions: [Bool] = []
        for r in requests {
            let response = try engine.checkResources(r)
            for result in response.results {
                for action in SyntheticRequests.actions {
                    guard let effect = result.actions.first(where: { $0.action == action })?.effect else {
                        throw BenchFailure("Arbiter gave no decision for \(action) on \(result.resource.id)")
                    }
                    arbiterDecisions.append(effect == .allow)
                }
            }
        }
        let decisions = arbiterDecisions.count
        let arbiterNs = medianNanosPerOp(rounds: 5, warmup: 1) {
            var n = 0
            for r in requests { n &+= (try? engine.checkResources(r))?.results.count ?? 0 }
            return n * SyntheticRequests.actions.count
        }

        // The same work starting from wire bytes: parse, decode, decide, encode the response.
        let wire = try (0..<synthetic.items.count).map { try JSONWriter.encode(synthetic.request($0)) }
        let arbiterWireNs = try medianNanosPerOp(rounds: 5, warmup: 1) {
            var n = 0
            for bytes in wire {
                let response = try engine.checkResources(try CheckResourcesRequest(from: try JSONReader.parse(bytes)))
                n &+= try JSONWriter.encode(response.toValue()).count > 0 ? response.results.count : 0
            }
            return n * SyntheticRequests.actions.count
        }

        let cedarPolicies = packageRoot() + "/bench/authz/policies.cedar"
        let celCases: [Value] = CELBench.cases.map { c in
            .map(MapValue(stringKeyed: [
                ("name", .string(c.name)), ("expression", .string(c.expression)),
                ("bindings", .map(MapValue(stringKeyed: c.bindings))), ("timestamps", .list(c.timestampVariables.map { .string($0) })),
            ]))
        }
        let work = Value.map(MapValue(stringKeyed: [
            ("cel", .map(MapValue(stringKeyed: [("round_seconds", .double(quick ? 0.03 : 0.2)), ("cases", .list(celCases))]))),
            ("cedar", .map(MapValue(stringKeyed: [
                ("policies", .string(cedarPolicies)), ("entities", synthetic.cedarEntities),
                ("requests", synthetic.cedarRequests), ("rounds", .int(5)),
            ]))),
        ]))
        try writeFile(dir + "/work.json", String(decoding: try JSONWriter.encode(work), as: UTF8.self))
        let status = runProcess([python, packageRoot() + "/bench/peers.py", dir + "/work.json", dir + "/out.json"])
        guard status == 0 else { throw BenchFailure("bench/peers.py exited with status \(status) (python: \(python))") }
        guard let bytes = readFile(dir + "/out.json"), case let .map(out) = try JSONReader.parse(bytes) else {
            throw BenchFailure("bench/peers.py wrote no results")
        }

        if case let .map(versions)? = out[string: "versions"] {
            let text = versions.storage.compactMap { k, v -> String? in
                guard case let .string(name) = k, case let .string(version) = v else { return nil }
                return "\(name) \(version)"
            }.joined(separator: ", ")
            report.machine.append(("peers", text))
        }
        try recordCEL(out[string: "cel"], report: report)

        guard case let .map(cedar)? = out[string: "cedar"], case let .list(cedarDecisions)? = cedar[string: "decisions"] else {
            throw BenchFailure("bench/peers.py returned no Cedar decisions")
        }
        guard cedarDecisions.count == decisions else {
            throw BenchFailure("Cedar returned \(cedarDecisions.count) decisions for \(decisions) requests")
        }
        var disagreements: [String] = []
        for (i, d) in cedarDecisions.enumerated() where isTrue(d) != arbiterDecisions[i] {
            let item = synthetic.items[i / SyntheticRequests.actions.count]
            disagreements.append("\(synthetic.principals[item.principal].id) \(SyntheticRequests.actions[i % SyntheticRequests.actions.count]) "
                                 + "\(item.resource.id): arbiter \(arbiterDecisions[i] ? "allow" : "deny"), cedar \(isTrue(d) ? "allow" : "deny")")
        }
        guard disagreements.isEmpty else {
            throw BenchFailure("Arbiter and Cedar disagree on \(disagreements.count) of \(decisions) decisions, e.g. "
                               + disagreements.prefix(5).joined(separator: "; "))
        }
        let allowed = arbiterDecisions.filter { $0 }.count
        report.add("peers", "authz decisions agree (arbiter = cedar)", Double(decisions), "decisions",
                   note: "\(allowed) allow, \(decisions - allowed) deny")
        guard let cedarNs = number(cedar[string: "ns_per_decision"]) else {
            throw BenchFailure("bench/peers.py returned no Cedar timing")
        }
        report.add("peers", "arbiter in-process", arbiterNs, "ns/action-decision", note: "Engine.checkResources, 5 actions per request")
        report.add("peers", "arbiter in-process from JSON bytes", arbiterWireNs, "ns/action-decision",
                   note: "JSON parse + decode + checkResources + encode")
        report.add("peers", "cedarpy is_authorized_batch", cedarNs, "ns/decision", note: "includes the Python call, batch of \(decisions)")
        report.add("peers", "cedar / arbiter", cedarNs / arbiterNs, "x", note: "> 1 means Arbiter is faster")
        report.add("peers", "cedar / arbiter from JSON bytes", cedarNs / arbiterWireNs, "x")
    }

    static func recordCEL(_ cel: Value?, report: BenchReport) throws {
        guard case let .map(peers)? = cel else { throw BenchFailure("bench/peers.py returned no CEL results") }
        if let floor = number(peers[string: "python_call_floor_ns"]) {
            report.add("cel", "python loop+call floor", floor, "ns/call", note: "inside every peer CEL figure")
        }
        for library in ["cel-expr-python", "common-expression-language"] {
            guard case let .map(results)? = peers[string: library] else { continue }
            for c in CELBench.cases {
                guard case let .map(r)? = results[string: c.name] else { continue }
                if let ns = number(r[string: "ns"]) {
                    report.add("cel", "\(library) \(c.name)", ns, "ns/eval", note: "includes the Python call")
                    if let ours = report.value("cel", "arbiter \(c.name)") {
                        report.add("cel", "\(library) / arbiter \(c.name)", ns / ours, "x", note: "> 1 means Arbiter is faster")
                    }
                } else if case let .string(message)? = r[string: "error"] {
                    // A peer that cannot run an expression is a fact to report, not a harness failure.
                    report.add("cel", "\(library) \(c.name)", .nan, "ns/eval", note: "not measured: \(message)")
                }
            }
        }
    }

    static func isTrue(_ v: Value) -> Bool {
        if case .bool(true) = v { return true }
        return false
    }

    /// A JSON number, whichever way the reader represented it.
    static func number(_ v: Value?) -> Double? {
        switch v {
        case let .double(d)?: return d
        case let .int(i)?: return Double(i)
        case let .uint(u)?: return Double(u)
        default: return nil
        }
    }

    /// $ARBITER_BENCH_PYTHON, else the venv `make bench` creates.
    static func pythonPath() throws -> String {
        if let env = getenv("ARBITER_BENCH_PYTHON") { return String(cString: env) }
        let venv = packageRoot() + "/.venv-bench/bin/python"
        guard access(venv, X_OK) == 0 else {
            throw BenchFailure("no Python for the peers at \(venv); run `make bench` (it creates the venv) or set ARBITER_BENCH_PYTHON")
        }
        return venv
    }
}
