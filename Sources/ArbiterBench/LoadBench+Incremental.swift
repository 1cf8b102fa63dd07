import ArbiterEngine
import ArbiterPolicy

/// The steps of a reload after one file of the 10k tree changed, in process and at normal
/// priority: incremental load, incremental compile, engine build; and the full load+compile
/// that stays the fallback.
extension LoadBench {
    static func runIncremental(report: BenchReport, quick: Bool, generator: PolicyGenerator, directory dir: String) throws {
        let compiler = PolicyCompiler(expressionCompiler: CELExpressionCompiler())
        var (load, decoded) = PolicyLoader.load(directory: dir, reusing: DecodedFiles())
        var (first, cache) = compiler.compile(load, sources: decoded, reusing: nil)
        guard first.policySet != nil else { throw BenchFailure("generated tree did not compile: \(first.diagnostics.prefix(3))") }
        let target = dir + "/resource_policies/" + PolicyGenerator.kindName(0) + "/root.yaml"
        let base = PolicyGenerator.rootPolicy(kind: PolicyGenerator.kindName(0), derivedRoles: "common_0")
        var flip = false
        var loadNs: [Double] = [], compileNs: [Double] = [], engineNs: [Double] = []
        for _ in 0..<(quick ? 2 : 5) {
            flip.toggle()
            try writeFile(target, flip ? base + "    - actions: [bench_flip]\n      effect: EFFECT_ALLOW\n      roles: [\"*\"]\n" : base)
            let t0 = monotonicNanos()
            (load, decoded) = PolicyLoader.load(directory: dir, reusing: decoded)
            let t1 = monotonicNanos()
            let (result, next) = compiler.compile(load, sources: decoded, reusing: cache)
            let t2 = monotonicNanos()
            guard let set = result.policySet, let next else { throw BenchFailure("incremental compile failed: \(result.diagnostics.prefix(3))") }
            _ = Engine(policySet: set)
            let t3 = monotonicNanos()
            cache = next
            first = result
            loadNs.append(Double(t1 - t0)); compileNs.append(Double(t2 - t1)); engineNs.append(Double(t3 - t2))
        }
        let total = median(zip(zip(loadNs, compileNs), engineNs).map { $0.0 + $0.1 + $1 })
        report.add("load", "10k tree one file changed: load (reusing decoded files)", median(loadNs) / 1e6, "ms", note: "walk, read and digest every file, decode the changed one, set checks")
        report.add("load", "10k tree one file changed: compile (reusing compiled policies)", median(compileNs) / 1e6, "ms")
        report.add("load", "10k tree one file changed: Engine(policySet:)", median(engineNs) / 1e6, "ms")
        report.add("load", "10k tree one file changed: total", total / 1e6, "ms", note: "goal with debounce and publishing <= 300 ms")
    }
}
