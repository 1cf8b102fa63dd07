import ArbiterEngine
import ArbiterPolicy
#if canImport(Glibc)
import Glibc
#endif

/// Builds an `Engine` from a policy directory: load, validate, compile. Used by `arbiter serve`
/// for the first compile and every reload, off the hot path.
public enum EngineCompilation {
    /// A compile closure for `ArbiterDaemon`; failures carry rendered diagnostics.
    public static func compiler(configuration: EngineConfiguration) -> SnapshotCompiler<Engine> {
        return { directory in
            let load = PolicyLoader.load(directory: directory)
            let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(load)
            guard let set = compiled.policySet, compiled.diagnostics.isEmpty else {
                throw PolicyCompileFailure(diagnostics: render(compiled.diagnostics, directory: directory))
            }
            return CompiledPolicies(snapshot: Engine(policySet: set, configuration: configuration),
                                    policyCount: load.policies.count)
        }
    }

    /// One rendered block (location, source line, caret) per diagnostic, capped like the CLI.
    static func render(_ diagnostics: [Diagnostic], directory: String) -> [String] {
        let renderer = DiagnosticRenderer(limit: 50, sourceProvider: { file in
            readText(file.hasPrefix("/") ? file : directory + "/" + file)
        })
        return Diagnostic.normalize(diagnostics).prefix(50).map { renderer.render([$0]).trimmingSuffixNewline() }
            + (diagnostics.count > 50 ? ["\(diagnostics.count - 50) more"] : [])
    }
}

private func readText(_ path: String) -> String? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n <= 0 { break }
        bytes.append(contentsOf: buffer[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}

extension String {
    fileprivate func trimmingSuffixNewline() -> String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
