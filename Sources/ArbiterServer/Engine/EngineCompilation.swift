import ArbiterEngine
import ArbiterPolicy

/// Builds an `Engine` from a policy directory: load, validate, compile. Used by `arbiter serve`
/// for the first compile and every reload, off the hot path.
public enum EngineCompilation {
    /// A compile closure for `ArbiterDaemon`; failures carry rendered diagnostics. With
    /// `requireTestsPass`, a set whose policy tests fail is a failure too (see `PolicyTestGate`).
    public static func compiler(configuration: EngineConfiguration, requireTestsPass: Bool = false) -> SnapshotCompiler<Engine> {
        return { directory in
            let load = PolicyLoader.load(directory: directory)
            let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(load)
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
