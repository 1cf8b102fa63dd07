import ArbiterEngine
import ArbiterPolicy

/// Builds an `Engine` from a policy directory: load, validate, compile. Used by `arbiter serve`
/// for the first compile and every reload, off the hot path.
public enum EngineCompilation {
    /// A compile closure for `ArbiterDaemon`; failures carry rendered diagnostics.
    public static func compiler(configuration: EngineConfiguration) -> SnapshotCompiler<Engine> {
        return { directory in
            let load = PolicyLoader.load(directory: directory)
            let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler(limits: configuration.celLimits)).compile(load)
            guard let set = compiled.policySet, compiled.diagnostics.isEmpty else {
                throw PolicyCompileFailure(diagnostics: render(compiled.diagnostics, directory: directory))
            }
            return CompiledPolicies(snapshot: Engine(policySet: set, configuration: configuration),
                                    policyCount: load.policies.count)
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
