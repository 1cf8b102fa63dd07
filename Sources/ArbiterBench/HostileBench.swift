import ArbiterEngine
import ArbiterJSON
import ArbiterPolicy
import CEL

/// The worst CheckResources request against the default CEL limits that the benchmark knows
/// (issue 24): every action's condition spends a whole evaluation's cost budget, on as many
/// resources and actions as the default request limits admit. Timed once with the request
/// budget (`engine.celLimits.requestCostLimit`) and once without it.
enum HostileBench {
    static let actions = 10
    static let resources = 50

    /// One rule per action, each a nested comprehension over a request list: 1001 × 1001
    /// iterations, cut off at the cost limit.
    static var policy: String {
        var text = """
            apiVersion: api.cerbos.dev/v1
            resourcePolicy:
              resource: "report"
              version: default
              rules:

            """
        for a in 0..<actions {
            text += """
                  - actions: ["a\(a)"]
                    effect: EFFECT_ALLOW
                    roles: ["user"]
                    condition:
                      match:
                        expr: R.attr.items.all(x, R.attr.items.all(y, x + y >= \(a)))

                """
        }
        return text
    }

    static func request() throws -> CheckResourcesRequest {
        let items = (0...1000).map(String.init).joined(separator: ",")
        let actionList = (0..<actions).map { "\"a\($0)\"" }.joined(separator: ",")
        let entries = (0..<resources).map { i in
            #"{"actions": [\#(actionList)], "resource": {"kind": "report", "id": "r\#(i)", "attr": {"items": [\#(items)]}}}"#
        }.joined(separator: ",")
        return try CheckResourcesRequest(from: try JSONReader.parse(
            #"{"principal": {"id": "mallory", "roles": ["user"]}, "resources": [\#(entries)]}"#))
    }

    /// `--hostile-request`: prints the request's wall and CPU time under the defaults and with
    /// no request budget.
    static func run() throws {
        let request = try request()
        for (label, requestCostLimit) in [("default limits", EvaluationLimits.default.requestCostLimit),
                                          ("no request budget", Int.max)] {
            var limits = EvaluationLimits.default
            limits.requestCostLimit = requestCostLimit
            let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler(limits: limits))
                .compile(PolicyLoader.load(files: [("report.yaml", Array(policy.utf8))]))
            guard let set = compiled.policySet else { throw BenchFailure("the hostile policy does not compile") }
            let engine = Engine(policySet: set, configuration: EngineConfiguration(celLimits: limits))
            let start = monotonicNanos(), cpuStart = threadCPUNanos()
            let response = try engine.checkResources(request)
            let elapsed = Double(monotonicNanos() - start) / 1e9, cpu = Double(threadCPUNanos() - cpuStart) / 1e9
            let allowed = response.results.reduce(0) { $0 + $1.actions.filter { $0.effect == .allow }.count }
            print("hostile request (\(resources) resources × \(actions) actions), \(label): \(elapsed) s wall, \(cpu) s CPU, \(allowed) allowed")
        }
    }
}
