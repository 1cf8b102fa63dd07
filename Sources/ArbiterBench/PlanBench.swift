import ArbiterEngine
import ArbiterJSON
import ArbiterPolicy
import CEL
import Dispatch

/// PlanResources in process (issue 14): a conditional plan like Cerbos's server plan case 00
/// (leave_request `approve` through a derived role, two conditions) on the conformance store,
/// p50 per request; and plans/s on one and two threads over the generated 10,000-policy set.
enum PlanBench {
    static let case00 = """
    {"requestId":"p0","includeMeta":true,"action":"approve",
     "principal":{"id":"maggie","policyVersion":"20210210","roles":["employee","manager"],
                  "attr":{"geography":"GB","managed_geographies":"GB","ip_address":"10.20.5.5"}},
     "resource":{"kind":"leave_request","policyVersion":"20210210"}}
    """

    /// `--loop-plan00 N`: plan case 00 N times, untimed, for perf.
    static func loopCase00(count: Int) throws {
        let root = try conformanceRoot()
        guard let set = LoadBench.compile(PolicyLoader.load(directory: root + "/cerbos/store")) else {
            throw BenchFailure("the conformance store does not compile")
        }
        let engine = Engine(policySet: set)
        let request = try PlanResourcesRequest(from: try JSONReader.parse(Array(case00.utf8)))
        var conditional = 0
        for _ in 0..<count where try engine.planResources(request).filter.kind == .conditional { conditional += 1 }
        print("\(conditional) conditional plans")
    }

    static func run(report: BenchReport, quick: Bool) throws {
        let root = try conformanceRoot()
        guard let set = LoadBench.compile(PolicyLoader.load(directory: root + "/cerbos/store")) else {
            throw BenchFailure("the conformance store does not compile")
        }
        let engine = Engine(policySet: set, configuration: EngineConfiguration(
            globals: MapValue(stringKeyed: [("environment", .string("test"))])))
        let request = try PlanResourcesRequest(from: try JSONReader.parse(Array(case00.utf8)))
        let first = try engine.planResources(request)
        guard first.filter.kind == .conditional else {
            throw BenchFailure("plan case 00 is \(first.filter.debugString), not conditional")
        }
        let count = quick ? 2_000 : 20_000
        var samples: [UInt64] = []
        samples.reserveCapacity(count)
        for _ in 0..<count {
            let t0 = monotonicNanos()
            _ = try engine.planResources(request)
            samples.append(monotonicNanos() - t0)
        }
        let lat = LatencySummary(samples)
        report.add("plan", "store/ plan case 00 p50/request", lat.p50 / 1000, "µs", note: first.filter.debugString)
        report.add("plan", "store/ plan case 00 p99/request", lat.p99 / 1000, "µs")

        let generator = PolicyGenerator(kinds: 1000, policiesPerKind: 10)
        let dir = try makeTemporaryDirectory("arbiter-bench-plan")
        defer { removeTree(dir) }
        try generator.write(to: dir)
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(PolicyLoader.load(directory: dir))
        guard let bigSet = compiled.policySet, compiled.diagnostics.isEmpty else {
            throw BenchFailure("generated set does not compile")
        }
        let bigEngine = Engine(policySet: bigSet)
        let synthetic = SyntheticRequests(count: 2000, kinds: generator.kinds, scopes: generator.scopes)
        var plans: [PlanResourcesRequest] = []
        for i in 0..<synthetic.items.count {
            let check = try CheckResourcesRequest(from: synthetic.request(i))
            for entry in check.resources {
                var resource = entry.resource
                resource.attr = MapValue()
                plans.append(PlanResourcesRequest(principal: check.principal, resource: resource, actions: [entry.actions[0]]))
            }
        }
        for threads in [1, 2] {
            let passes = quick ? 1 : 3
            let nsPerPlan = medianNanosPerOp(rounds: quick ? 1 : 3, warmup: 1) {
                DispatchQueue.concurrentPerform(iterations: threads) { _ in
                    for _ in 0..<passes { for p in plans { _ = try? bigEngine.planResources(p) } }
                }
                return threads * passes * plans.count
            }
            report.add("plan", "10k set synthetic \(threads) thread\(threads == 1 ? "" : "s")", 1e9 / nsPerPlan, "plans/s",
                       note: "\(plans.count) plans without resource attributes")
        }
    }
}
