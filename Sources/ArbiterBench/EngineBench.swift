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
        let (baseline, afterLoad, peak) = try freshProcessRSS(policies: dir)
        report.add("engine", "10k set RSS after load+compile", Double(afterLoad) / 1024, "MiB",
                   note: "fresh process, \(fmt(Double(baseline) / 1024)) MiB before loading; peak \(fmt(Double(peak) / 1024)) MiB")
        let bigLoad = PolicyLoader.load(directory: dir)
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(bigLoad)
        guard let bigSet = compiled.policySet, compiled.diagnostics.isEmpty else {
            throw BenchFailure("generated set does not compile: \(compiled.diagnostics.prefix(3).map(\.description))")
        }
        let bigEngine = Engine(policySet: bigSet)
        let synthetic = SyntheticRequests(count: 5000, kinds: generator.kinds, scopes: generator.scopes)
        var requests: [CheckResourcesRequest] = []
        for i in 0..<synthetic.items.count { requests.append(try CheckResourcesRequest(from: synthetic.request(i))) }
        try replay(report: report, label: "10k set synthetic", engine: bigEngine, requests: requests, quick: quick)
        withExtendedLifetime(bigLoad) {}
    }

    /// `--loop-case00 N`: the store engine answering engine/case_00 N times (for perf and malloc counts).
    static func loopCase00(count: Int) throws {
        let root = try conformanceRoot()
        guard let set = LoadBench.compile(PolicyLoader.load(directory: root + "/cerbos/store")) else {
            throw BenchFailure("the conformance store does not compile")
        }
        let globals = MapValue(stringKeyed: [("environment", .string("test"))])
        let engine = Engine(policySet: set, configuration: EngineConfiguration(globals: globals))
        guard let case00 = try engineCaseRequests(root + "/cerbos/engine").first(where: { $0.file == "case_00.yaml" }) else {
            throw BenchFailure("engine/case_00.yaml not found")
        }
        let now = Engine.currentTime()
        var results = 0
        for _ in 0..<count {
            for r in case00.requests { results &+= try engine.checkResources(r, now: now).results.count }
        }
        print("\(results) results")
    }

    /// Runs this binary with `--measure-rss` so earlier groups' heap does not blur the figure:
    /// (VmRSS before loading, VmRSS with the engine built, VmHWM), KiB.
    static func freshProcessRSS(policies: String) throws -> (Int, Int, Int) {
        let out = policies + ".rss"
        let status = runProcess(["/proc/self/exe", "--measure-rss", policies, out])
        guard status == 0, let text = readFile(out).map({ String(decoding: $0, as: UTF8.self) }) else {
            throw BenchFailure("--measure-rss child failed with status \(status)")
        }
        let numbers = text.split(separator: " ").compactMap { Int($0.filter { !$0.isWhitespace }) }
        guard numbers.count == 3 else { throw BenchFailure("--measure-rss wrote \(text)") }
        return (numbers[0], numbers[1], numbers[2])
    }

    /// The child side: load and compile `policies`, build the engine, write the three figures.
    static func measureRSS(policies: String, output: String) throws {
        let before = MemoryUsage.current().rssKiB
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(PolicyLoader.load(directory: policies))
        guard let set = compiled.policySet, compiled.diagnostics.isEmpty else { throw BenchFailure("\(policies) does not compile") }
        let engine = Engine(policySet: set)
        let now = MemoryUsage.current()
        withExtendedLifetime(engine) {}
        try writeFile(output, "\(before) \(now.rssKiB) \(now.peakKiB)\n")
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
            guard let doc = docs.first, case let .map(testCase) = doc.protobufValue,
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

    /// Replays `requests` in a loop: action-decisions/s on one thread (median of rounds),
    /// p50/p99 per request, and action-decisions/s with one thread per core.
    static func replay(report: BenchReport, label: String, engine: Engine, requests: [CheckResourcesRequest],
                       quick: Bool, allCores: Bool = true) throws {
        let decisionsPerPass = requests.reduce(0) { $0 + $1.resources.reduce(0) { $0 + $1.actions.count } }
        let passes = calibratedCount(targetNanos: quick ? 50_000_000 : 300_000_000) { n in
            for _ in 0..<n { for r in requests { _ = try? engine.checkResources(r) } }
        }
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
        let nsPerDecisionAllCores = medianNanosPerOp(rounds: quick ? 1 : 3, warmup: 0) {
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                for _ in 0..<passes {
                    for r in requests { _ = try? engine.checkResources(r) }
                }
            }
            return threads * passes * decisionsPerPass
        }
        report.add("engine", "\(label) \(threads) threads", 1e9 / nsPerDecisionAllCores, "action-decisions/s",
                   note: "one thread per core, median of \(quick ? 1 : 3) rounds")
    }
}
