import ArbiterEngine
import ArbiterPolicy
import ArbiterYAML
import CEL
import Dispatch

/// In-process decisions (issues 5 and 7): replay the engine cases against the compiled
/// conformance store, and synthetic requests against a generated 10,000-policy set.
enum EngineBench {
    static func run(report: BenchReport, quick: Bool) throws {
        let root = try conformanceRoot()
        let load = PolicyLoader.load(directory: root + "/cerbos/store")
        guard let set = LoadBench.compile(load) else { throw BenchFailure("the conformance store does not compile") }
        let globals = MapValue(stringKeyed: [("environment", .string("test"))])
        let storeEngine = Engine(policySet: set, configuration: EngineConfiguration(globals: globals))
        let cases = try engineCaseRequests(root + "/cerbos/engine")
        guard !cases.isEmpty else { throw BenchFailure("no engine case requests found") }
        try replay(report: report, label: "store/ engine cases", engine: storeEngine,
                   requests: cases.flatMap(\.requests), quick: quick)
        if let case00 = cases.first(where: { $0.file == "case_00.yaml" }) {
            try replay(report: report, label: "store/ case_00", engine: storeEngine, requests: case00.requests,
                       quick: quick, allCores: false)
        }

        let generator = PolicyGenerator(kinds: 1000, policiesPerKind: 10)
        let dir = try makeTemporaryDirectory("arbiter-bench-engine")
        defer { removeTree(dir) }
        try generator.write(to: dir)
        let rssBefore = MemoryUsage.current().rssKiB
        let bigLoad = PolicyLoader.load(directory: dir)
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(bigLoad)
        guard let bigSet = compiled.policySet, compiled.diagnostics.isEmpty else {
            throw BenchFailure("generated set does not compile: \(compiled.diagnostics.prefix(3).map(\.description))")
        }
        let bigEngine = Engine(policySet: bigSet)
        let rssAfter = MemoryUsage.current().rssKiB
        report.add("engine", "10k set RSS after load", Double(rssAfter) / 1024, "MiB",
                   note: "+\(fmt(Double(rssAfter - rssBefore) / 1024)) MiB for \(bigLoad.policies.count) policies")
        let synthetic = SyntheticRequests(count: 5000, kinds: generator.kinds, scopes: generator.scopes)
        var requests: [CheckResourcesRequest] = []
        for i in 0..<synthetic.items.count { requests.append(try CheckResourcesRequest(from: synthetic.request(i))) }
        try replay(report: report, label: "10k set synthetic", engine: bigEngine, requests: requests, quick: quick)
        withExtendedLifetime(bigLoad) {}
    }

    struct CaseRequests {
        var file: String
        var requests: [CheckResourcesRequest]
    }

    /// Every input of every engine case file, as a one-resource CheckResources request.
    static func engineCaseRequests(_ dir: String) throws -> [CaseRequests] {
        var out: [CaseRequests] = []
        for file in listDirectory(dir, suffix: ".yaml") {
            guard let bytes = readFile(dir + "/" + file) else { throw BenchFailure("cannot read \(dir)/\(file)") }
            let docs = try YAMLParser.parse(bytes, file: file)
            guard let doc = docs.first, case let .map(testCase) = yamlValue(doc),
                  case let .list(inputs)? = testCase[string: "inputs"] else { continue }
            var requests: [CheckResourcesRequest] = []
            for (i, raw) in inputs.enumerated() {
                let input = try CheckInput(from: raw, path: "\(file) inputs[\(i)]")
                requests.append(CheckResourcesRequest(
                    requestId: input.requestId, principal: input.principal,
                    resources: [.init(actions: input.actions, resource: input.resource)]))
            }
            out.append(CaseRequests(file: file, requests: requests))
        }
        return out
    }

    /// A YAML node as a JSON-like value.
    static func yamlValue(_ node: YAMLNode) -> Value {
        switch node.kind {
        case let .scalar(s):
            switch s.resolved {
            case .null: return .null
            case let .bool(b): return .bool(b)
            case let .int(i): return .double(Double(i))
            case let .double(d): return .double(d)
            case let .string(t): return .string(t)
            }
        case let .sequence(items): return .list(items.map(yamlValue))
        case let .mapping(pairs):
            return .map(MapValue(stringKeyed: pairs.map { ($0.key.scalar?.value ?? "", yamlValue($0.value)) }))
        }
    }

    /// Replays `requests` in a loop: action-decisions/s on one thread (median of rounds),
    /// p50/p99 per request, and action-decisions/s with one thread per core.
    static func replay(report: BenchReport, label: String, engine: Engine, requests: [CheckResourcesRequest],
                       quick: Bool, allCores: Bool = true) throws {
        let decisionsPerPass = requests.reduce(0) { $0 + $1.resources.reduce(0) { $0 + $1.actions.count } }
        let target = quick ? 20_000 : 400_000
        let passes = max(1, target / max(1, decisionsPerPass))
        var failure: (any Error)?
        let nsPerDecision = medianNanosPerOp(rounds: 5, warmup: 1) {
            var n = 0
            for _ in 0..<passes {
                for r in requests {
                    do { n &+= try engine.checkResources(r).results.count } catch { failure = error }
                }
            }
            if n == 0 { failure = BenchFailure("no results") }
            return passes * decisionsPerPass
        }
        if let failure { throw BenchFailure("\(label): \(failure)") }
        report.add("engine", "\(label) 1 thread", 1e9 / nsPerDecision, "action-decisions/s",
                   note: "\(requests.count) requests, \(decisionsPerPass) action-decisions per pass")

        var samples: [UInt64] = []
        samples.reserveCapacity(passes * requests.count)
        for _ in 0..<passes {
            for r in requests {
                let t0 = monotonicNanos()
                _ = try? engine.checkResources(r)
                samples.append(monotonicNanos() - t0)
            }
        }
        let lat = LatencySummary(samples)
        report.add("engine", "\(label) p50/request", lat.p50 / 1000, "µs")
        report.add("engine", "\(label) p99/request", lat.p99 / 1000, "µs")

        guard allCores else { return }
        let threads = cpuCount()
        let start = monotonicNanos()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for _ in 0..<passes {
                for r in requests { _ = try? engine.checkResources(r) }
            }
        }
        let elapsed = Double(monotonicNanos() - start)
        report.add("engine", "\(label) \(threads) threads", Double(threads * passes * decisionsPerPass) / elapsed * 1e9,
                   "action-decisions/s")
    }
}
