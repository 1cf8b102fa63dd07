import CEL

/// CEL evaluation speed (issue 3): ns per evaluation of the five issue expressions with a
/// prepared activation. The same expressions and bindings go to the Python peers.
enum CELBench {
    /// One expression with its variable bindings (JSON-shaped, so the peers get the same data).
    struct Case {
        var name: String
        var expression: String
        var bindings: [(String, Value)]
        /// Variables whose string value is an RFC 3339 time the evaluators bind as a timestamp.
        var timestampVariables: [String]
    }

    static var cases: [Case] {
        let principal = Value.map(MapValue(stringKeyed: [
            ("id", .string("alice")), ("roles", .list([.string("user"), .string("admin")])),
            ("attr", .map(MapValue(stringKeyed: [("department", .string("eng"))]))),
        ]))
        var tags: [Value] = (0..<99).map { .string("tag\($0)") }
        tags.append(.string("public"))
        let resource = Value.map(MapValue(stringKeyed: [
            ("kind", .string("document")), ("id", .string("doc1")),
            ("attr", .map(MapValue(stringKeyed: [
                ("owner", .string("alice")), ("status", .string("PENDING")), ("tags", .list(tags)),
                ("at", .string("2024-01-01T10:00:00Z")), ("email", .string("alice.smith@example.com")),
            ]))),
        ]))
        let request = Value.map(MapValue(stringKeyed: [("principal", principal), ("resource", resource)]))
        let all: [(String, Value)] = [("request", request), ("P", principal), ("R", resource),
                                      ("now", .string("2024-06-01T12:00:00Z"))]
        func c(_ name: String, _ expr: String, _ vars: [String], timestamps: [String] = []) -> Case {
            Case(name: name, expression: expr, bindings: all.filter { vars.contains($0.0) }, timestampVariables: timestamps)
        }
        return [
            c("owner_eq", "request.resource.attr.owner == request.principal.id", ["request"]),
            c("role_and_status", #""admin" in P.roles && R.attr.status == "PENDING""#, ["P", "R"]),
            c("exists_100_tags", #"R.attr.tags.exists(t, t.startsWith("pub"))"#, ["R"]),
            // `now` is a bound timestamp rather than Cerbos's now(): the peers have no now() function.
            c("timestamp_cmp", #"timestamp(R.attr.at) < now - duration("1h")"#, ["R", "now"], timestamps: ["now"]),
            c("matches", #"R.attr.email.matches("^[a-z0-9._%+-]+@example\\.com$")"#, ["R"]),
        ]
    }

    /// Evaluates every case, checks it yields `true`, and records ns per evaluation.
    static func run(report: BenchReport, quick: Bool) {
        let roundNanos: UInt64 = quick ? 30_000_000 : 200_000_000
        for c in cases {
            let env = Environment(variables: c.bindings.map(\.0))
            let compiled = env.compile(c.expression)
            guard let program = compiled.program else {
                report.fail("cel", "\(c.name) does not compile: \(compiled.renderedIssues(source: c.expression))")
                continue
            }
            var activation = env.makeActivation()
            for (name, value) in c.bindings {
                if c.timestampVariables.contains(name), case let .string(s) = value {
                    let t = Environment().compile("timestamp('\(s)')").program?.evaluate() ?? .null
                    activation[name] = t
                } else {
                    activation[name] = value
                }
            }
            guard case .bool(true) = program.evaluate(activation) else {
                report.fail("cel", "\(c.name) evaluated to \(program.evaluate(activation)), expected true")
                continue
            }
            let rounds = quick ? 3 : 7
            var sink = 0
            let perRound = calibratedCount(targetNanos: roundNanos) { n in
                for _ in 0..<n { if case .bool(true) = program.evaluate(activation) { sink &+= 1 } }
            }
            // Thread CPU time per round beside the wall time: less sensitive to a loaded machine.
            var cpuPerOp: [Double] = []
            let ns = medianNanosPerOp(rounds: rounds) {
                let cpuStart = threadCPUNanos()
                for _ in 0..<perRound {
                    if case .bool(true) = program.evaluate(activation) { sink &+= 1 }
                }
                cpuPerOp.append(Double(threadCPUNanos() - cpuStart) / Double(perRound))
                return perRound
            }
            if sink == 0 { report.fail("cel", "\(c.name) stopped returning true") }
            let cpu = median(Array(cpuPerOp.dropFirst()))  // the first round is the warm-up
            report.add("cel", "arbiter \(c.name)", ns, "ns/eval",
                       note: "prepared activation; thread CPU \(Int(cpu.rounded())) ns/eval")
        }
    }
}
