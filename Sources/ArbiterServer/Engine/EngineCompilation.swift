import ArbiterEngine
import ArbiterPolicy

/// Builds an `Engine` from a policy directory: load, validate, compile. Used by `arbiter serve`
/// for the first compile and every reload, off the hot path.
public enum EngineCompilation {
    /// A compile closure for `ArbiterDaemon`; failures carry rendered diagnostics. With
    /// `requireTestsPass`, a set whose policy tests fail is a failure too (see `PolicyTestGate`).
    /// Each call after the first reuses what the previous one decoded and compiled
    /// (`IncrementalCompilation`) and runs on a low-priority thread (`LowPriorityThread`).
    public static func compiler(configuration: EngineConfiguration, requireTestsPass: Bool = false) -> SnapshotCompiler<Engine> {
        let incremental = IncrementalCompilation(limits: configuration.celLimits)
        return { directory in
            let work: @Sendable () throws -> CompiledPolicies<Engine> = {
                try compile(directory: directory, incremental: incremental, configuration: configuration,
                            requireTestsPass: requireTestsPass)
            }
            // The first load runs at the caller's priority: nothing is serving yet.
            guard incremental.hasPrevious else { return try work() }
            return try await LowPriorityThread.run { Result(catching: work) }.get()
        }
    }

    private static func compile(directory: String, incremental: IncrementalCompilation, configuration: EngineConfiguration,
                                requireTestsPass: Bool) throws -> CompiledPolicies<Engine> {
        let (load, compiled) = incremental.compile(directory: directory)
        guard let set = compiled.policySet, compiled.diagnostics.isEmpty else {
            throw PolicyCompileFailure(diagnostics: render(compiled.diagnostics, directory: directory))
        }
        if requireTestsPass {
            let failures = PolicyTestGate.failures(policySet: set, configuration: configuration, directory: directory)
            if !failures.isEmpty { throw PolicyCompileFailure(diagnostics: failures) }
        }
        return CompiledPolicies(snapshot: Engine(policySet: set, configuration: configuration),
                                policyCount: load.policies.count,
                                policyFiles: Set(load.policies.map(\.file)), emptyFiles: Set(load.emptyFiles))
    }

    /// One rendered block (location, source line, caret) per diagnostic, capped like the CLI.
    static func render(_ diagnostics: [Diagnostic], directory: String) -> [String] {
        let renderer = DiagnosticRenderer.forDirectory(directory)
        return Diagnostic.normalize(diagnostics).prefix(50).map { renderer.render([$0]).trimmingSuffixNewline() }
            + (diagnostics.count > 50 ? ["\(diagnostics.count - 50) more"] : [])
    }
}

extension String {
    fileprivate func trimmingSuffixNewline() -> String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
