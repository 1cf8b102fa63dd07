import CEL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Nanoseconds per evaluation of typical Cerbos conditions, with a prepared activation whose
/// `request`, `P`, `R` are host maps. Run in a release build (`make bench`).
enum CELBench {
    struct Result {
        var name: String
        var expression: String
        var nanosPerEval: Double
    }

    /// CPU time of this thread: the machine is shared, so wall-clock time would count waiting.
    static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    static func map(_ pairs: [(String, Value)]) -> Value { .map(MapValue(stringKeyed: pairs)) }

    static func run(iterations: Int = 2_000_000) -> [Result] {
        var tags: [Value] = (0..<99).map { .string("tag\($0)") }
        tags.append(.string("public"))
        let attr = map([
            ("owner", .string("alice")), ("status", .string("PENDING")), ("tags", .list(tags)),
            ("at", .string("2026-01-01T00:00:00Z")), ("email", .string("alice@example.com")),
        ])
        let principal = map([("id", .string("alice")), ("roles", .list([.string("user"), .string("admin")])),
                             ("attr", map([]))])
        let resource = map([("kind", .string("document")), ("id", .string("d1")), ("attr", attr)])
        let request = map([("principal", principal), ("resource", resource)])

        let env = Environment(declaring: [
            VariableDecl("request", .dyn), VariableDecl("P", .dyn), VariableDecl("R", .dyn),
            VariableDecl("now", .timestamp),
        ])
        var activation = env.makeActivation()
        activation["request"] = request
        activation["P"] = principal
        activation["R"] = resource
        activation["now"] = .timestamp(Timestamp(seconds: 1_790_000_000))

        let cases: [(String, String)] = [
            ("calibrate_constant", "true"),
            ("calibrate_variable", "has(request.principal)"),
            ("owner_eq_principal", "request.resource.attr.owner == request.principal.id"),
            ("role_in_and_status", "\"admin\" in P.roles && R.attr.status == \"PENDING\""),
            ("exists_100_tags", "R.attr.tags.exists(t, t.startsWith(\"pub\"))"),
            ("timestamp_compare", "timestamp(R.attr.at) < now - duration(\"1h\")"),
            ("string_matches", "R.attr.email.matches(\"^[a-z]+@example\\\\.com$\")"),
        ]
        var results: [Result] = []
        let only = getenv("CEL_BENCH_ONLY").map { String(cString: $0) }
        for (name, source) in cases where only == nil || only == name {
            let compiled = env.compile(source)
            guard let program = compiled.program else {
                print("CEL bench \(name): compile failed: \(compiled.renderedIssues(source: source))")
                continue
            }
            guard case .bool(true) = program.evaluate(activation) else {
                print("CEL bench \(name): unexpected result \(program.evaluate(activation))")
                continue
            }
            let n = name == "exists_100_tags" ? iterations / 20 : iterations
            var trues = 0
            for _ in 0..<(n / 10) { if case .bool(true) = program.evaluate(activation) { trues += 1 } }
            let start = monotonicNanos()
            for _ in 0..<n { if case .bool(true) = program.evaluate(activation) { trues += 1 } }
            let elapsed = monotonicNanos() - start
            let per = Double(elapsed) / Double(n)
            results.append(Result(name: name, expression: source, nanosPerEval: per))
            print("CEL bench \(name): \((per * 10).rounded() / 10) ns/eval  (\(source))  [\(trues) true]")
        }
        return results
    }
}
