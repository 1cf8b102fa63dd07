import ArbiterPolicy

/// Policy loading (issue 2): load and validate the conformance `store/` and a generated tree
/// of 10,000 policies; time (median) and peak memory.
enum LoadBench {
    static func run(report: BenchReport, quick: Bool) throws {
        let store = try conformanceRoot() + "/cerbos/store"
        var policies = 0
        let storeNs = medianNanosPerOp(rounds: quick ? 5 : 30, warmup: 3) {
            let load = PolicyLoader.load(directory: store)
            policies = load.policies.count
            return 1
        }
        guard policies > 0 else { throw BenchFailure("no policies loaded from \(store)") }
        report.add("load", "store/ load+validate", storeNs / 1e6, "ms", note: "\(policies) policies, goal < 20 ms")
        let storeCompileNs = medianNanosPerOp(rounds: quick ? 3 : 10, warmup: 1) {
            _ = compile(PolicyLoader.load(directory: store))
            return 1
        }
        report.add("load", "store/ load+validate+compile", storeCompileNs / 1e6, "ms")

        let generator = PolicyGenerator(kinds: 1000, policiesPerKind: 10)
        let dir = try makeTemporaryDirectory("arbiter-bench-load")
        defer { removeTree(dir) }
        try generator.write(to: dir)
        var loaded = 0
        var diagnostics = 0
        let before = MemoryUsage.current()
        MemoryUsage.resetPeak()
        let bigNs = medianNanosPerOp(rounds: quick ? 1 : 3, warmup: 1) {
            let load = PolicyLoader.load(directory: dir)
            loaded = load.policies.count
            diagnostics = load.diagnostics.count
            return 1
        }
        let peak = MemoryUsage.current().peakKiB
        guard loaded == generator.policyCount, diagnostics == 0 else {
            throw BenchFailure("generated tree: loaded \(loaded) of \(generator.policyCount) policies, \(diagnostics) diagnostics")
        }
        report.add("load", "10k tree load+validate", bigNs / 1e6, "ms", note: "\(loaded) policies, goal < 1500 ms")
        report.add("load", "10k tree load peak RSS", Double(peak) / 1024, "MiB",
                   note: "VmHWM during loads; \(fmt(Double(before.rssKiB) / 1024)) MiB before")
        let compileNs = medianNanosPerOp(rounds: 1, warmup: 0) {
            _ = compile(PolicyLoader.load(directory: dir))
            return 1
        }
        report.add("load", "10k tree load+validate+compile", compileNs / 1e6, "ms")
        try runIncremental(report: report, quick: quick, generator: generator, directory: dir)
    }

    /// Compiles a load with checked CEL, falling back to unchecked (the store calls Cerbos
    /// functions the checker does not declare yet).
    static func compile(_ load: LoadResult) -> PolicySet? {
        let checked = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(load)
        if let set = checked.policySet, checked.diagnostics.isEmpty { return set }
        return PolicyCompiler(expressionCompiler: CELExpressionCompiler(checking: false)).compile(load).policySet
    }
}
