import ArbiterYAML
import CEL

/// Compiles loaded policies into an immutable `PolicySet` (spec §1, §2.4 rewrite, §2.11 names).
///
/// Every CEL expression is compiled once here; errors come back as diagnostics positioned in
/// the policy file, and a set with any error is not produced.
public struct PolicyCompiler: Sendable {
    /// The CEL front end.
    public let expressionCompiler: any ExpressionCompiler

    /// Creates a compiler over a CEL front end.
    public init(expressionCompiler: any ExpressionCompiler) {
        self.expressionCompiler = expressionCompiler
    }

    /// The result of compiling a policy set.
    public struct Result: Sendable {
        /// The compiled set, nil when there were errors.
        public var policySet: PolicySet?
        /// Sorted, de-duplicated diagnostics.
        public var diagnostics: [Diagnostic]
    }

    /// Compiles what a loader produced; load diagnostics stop compilation.
    public func compile(_ load: LoadResult) -> Result {
        guard load.diagnostics.isEmpty else {
            return Result(policySet: nil, diagnostics: Diagnostic.normalize(load.diagnostics))
        }
        return compile(load.policies, schemas: load.schemas)
    }

    /// Compiles what a loader produced, reusing from `previous` every compiled policy whose inputs
    /// (its file and the files of what it imports, by digest in `sources`) are unchanged, and
    /// returns the cache for the next call. The result equals a full compile's. A cache from
    /// another expression compiler, or one with too many unused ids, is not reused; a compile with
    /// errors is redone in full, so its diagnostics are a full compile's.
    public func compile(_ load: LoadResult, sources: DecodedFiles, reusing previous: CompiledPolicyCache?)
        -> (result: Result, cache: CompiledPolicyCache?) {
        guard load.diagnostics.isEmpty else {
            return (Result(policySet: nil, diagnostics: Diagnostic.normalize(load.diagnostics)), nil)
        }
        let usable = previous.flatMap { $0.layout === expressionCompiler.layout && $0.isCompact ? $0 : nil }
        let enabled = load.policies.filter { !$0.disabled }
        var session = CompileSession(compiler: expressionCompiler, policies: enabled,
                                     reuse: CompileReuse(previous: usable, sources: sources, layout: expressionCompiler.layout))
        let set = session.run(schemas: load.schemas)
        let diagnostics = Diagnostic.normalize(session.diagnostics)
        if diagnostics.isEmpty {
            return (Result(policySet: set, diagnostics: []), session.reuse?.next)
        }
        if usable != nil { return compile(load, sources: sources, reusing: nil) }
        return (Result(policySet: nil, diagnostics: diagnostics), nil)
    }

    /// Compiles enabled policies (disabled ones are skipped) with the store's compiled schemas.
    public func compile(_ policies: [Policy], schemas: SchemaRegistry = .empty) -> Result {
        let enabled = policies.filter { !$0.disabled }
        var session = CompileSession(compiler: expressionCompiler, policies: enabled)
        let set = session.run(schemas: schemas)
        let diagnostics = Diagnostic.normalize(session.diagnostics)
        return Result(policySet: diagnostics.isEmpty ? set : nil, diagnostics: diagnostics)
    }
}
