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

    /// Compiles enabled policies (disabled ones are skipped) with the store's compiled schemas.
    public func compile(_ policies: [Policy], schemas: SchemaRegistry = .empty) -> Result {
        let enabled = policies.filter { !$0.disabled }
        var session = CompileSession(compiler: expressionCompiler, policies: enabled)
        let set = session.run()
        set.attach(schemas: schemas, from: enabled)
        let diagnostics = Diagnostic.normalize(session.diagnostics)
        return Result(policySet: diagnostics.isEmpty ? set : nil, diagnostics: diagnostics)
    }
}
