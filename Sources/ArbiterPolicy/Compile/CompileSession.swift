import ArbiterYAML
import CEL

/// The state of one compilation: export sets by name, compiled derived roles, diagnostics.
struct CompileSession {
    let compiler: any ExpressionCompiler
    let policies: [Policy]
    var diagnostics: [Diagnostic] = []
    var exportVariables: [String: (set: ExportVariables, file: String)] = [:]
    var exportConstants: [String: ExportConstants] = [:]
    var exportConstantFiles: [String: String] = [:]
    var derivedRoleSets: [String: (set: DerivedRoles, policy: Policy)] = [:]
    var compiledDerivedRoles: [String: [CompiledDerivedRole]] = [:]
    var currentFile = ""
    /// Whether some compiled expression names `runtime`.
    var readsRuntime = false
    /// How many compiled expressions name `runtime` so far: a policy reads it when the count
    /// grows while the policy compiles.
    var runtimeReads = 0
    /// Derived-role sets some of whose expressions (conditions, variables) name `runtime`.
    var derivedRoleSetsReadingRuntime: Set<String> = []
    /// Whether a principal or role policy names `runtime`.
    var runtimeReadOutsideResourcePolicies = false
    /// Expressions compiled so far, by source text.
    var compiledExpressions: [String: (CompiledExpression, ExpressionReferences)] = [:]
    /// What to reuse and what to record for the next build; nil when the build is not cached.
    var reuse: CompileReuse?

    init(compiler: any ExpressionCompiler, policies: [Policy], reuse: CompileReuse? = nil) {
        self.compiler = compiler
        self.policies = policies
        self.reuse = reuse
        for policy in policies {
            switch policy.kind {
            case let .exportVariables(p): exportVariables[p.name.value] = (p, policy.file)
            case let .exportConstants(p):
                exportConstants[p.name.value] = p
                exportConstantFiles[p.name.value] = policy.file
            case let .derivedRoles(p): derivedRoleSets[p.name.value] = (p, policy)
            default: break
            }
        }
    }

    mutating func report(_ mark: YAMLMark, _ path: String, _ message: String) {
        diagnostics.append(Diagnostic(file: currentFile, line: mark.line, column: mark.column, path: path,
                                      message: message, stage: .compile))
    }

    /// Compiles (or reuses) every policy and builds the set with the store's `schemas`.
    mutating func run(schemas: SchemaRegistry) -> PolicySet {
        var builder = PolicySetBuilder(layout: compiler.layout, continuing: reuse?.previous?.counters)
        for policy in policies {
            currentFile = policy.file
            if reuseCompiled(policy, into: &builder) { continue }
            let runtimeReadsBefore = runtimeReads
            switch policy.kind {
            case let .resource(p):
                if let compiled = compileResourcePolicy(p, policy: policy) {
                    let added = builder.add(compiled) ?? compiled
                    record(policy, .resource(added), readsRuntime: added.readsRuntime)
                }
            case let .principal(p):
                if let compiled = compilePrincipalPolicy(p, policy: policy) {
                    let added = builder.add(compiled) ?? compiled
                    record(policy, .principal(added), readsRuntime: runtimeReads > runtimeReadsBefore)
                }
                if runtimeReads > runtimeReadsBefore { runtimeReadOutsideResourcePolicies = true }
            case let .role(p):
                if let compiled = compileRolePolicy(p, policy: policy) {
                    let added = builder.add(compiled) ?? compiled
                    record(policy, .role(added), readsRuntime: runtimeReads > runtimeReadsBefore)
                }
                if runtimeReads > runtimeReadsBefore { runtimeReadOutsideResourcePolicies = true }
            case .derivedRoles, .exportVariables, .exportConstants:
                break
            }
        }
        for error in builder.errors {
            diagnostics.append(Diagnostic(file: "", line: 0, column: 0, message: error, stage: .index))
        }
        builder.readsRuntime = readsRuntime
        builder.runtimeReadOutsideResourcePolicies = runtimeReadOutsideResourcePolicies
        reuse?.finish(counters: builder.counters, liveRules: builder.liveRuleCount, registered: builder.registered)
        builder.attach(schemas: schemas, from: policies)
        return builder.build()
    }

    // MARK: expressions

    /// A compiled expression plus what it reads, or nil after reporting its errors.
    ///
    /// Expressions with the same text share one compiled program: what it compiles to depends on
    /// the text and the compiler only, programs are immutable, and large sets repeat the same
    /// conditions across many policies (time and memory both scale with distinct texts).
    mutating func expression(_ expr: CELExpression) -> (CompiledExpression, ExpressionReferences)? {
        if let (compiled, references) = compiledExpressions[expr.text] {
            noteReads(references)
            return (compiled, references)
        }
        switch compiler.compile(expr.text) {
        case let .success(program, references):
            noteReads(references)
            let compiled = CompiledExpression(source: expr.text, program: program, readsWholeParams: references.usesWholeVariables)
            compiledExpressions[expr.text] = (compiled, references)
            return (compiled, references)
        case let .failure(errors):
            let saved = currentFile
            currentFile = expr.file.isEmpty ? saved : expr.file
            for error in errors {
                report(expr.location(ofOffset: error.offset), expr.path, "Invalid expression `\(expr.text)`: \(error.message)")
            }
            currentFile = saved
            return nil
        }
    }

    private mutating func noteReads(_ references: ExpressionReferences) {
        if references.usesRuntime {
            readsRuntime = true
            runtimeReads += 1
        }
    }

    /// A compiled `match` tree, checking its references against the visible parameters.
    mutating func condition(_ condition: Condition?, scope: ParamScope) -> (ok: Bool, CompiledCondition?) {
        guard let condition else { return (true, nil) }
        switch condition.kind {
        case let .script(s):
            report(s.mark, condition.path, "scripts in conditions are no longer supported")
            return (false, nil)
        case let .match(m):
            let compiled = match(m, scope: scope)
            return (compiled != nil, compiled)
        }
    }

    private mutating func match(_ m: Match, scope: ParamScope) -> CompiledCondition? {
        switch m.kind {
        case let .expr(e):
            guard let (compiled, refs) = expression(e) else { return nil }
            guard scope.check(refs, expr: e, session: &self) else { return nil }
            return .expression(compiled)
        case let .all(list):
            let parts = list.map { match($0, scope: scope) }
            return parts.contains { $0 == nil } ? nil : .all(parts.compactMap { $0 })
        case let .any(list):
            let parts = list.map { match($0, scope: scope) }
            return parts.contains { $0 == nil } ? nil : .any(parts.compactMap { $0 })
        case let .none(list):
            let parts = list.map { match($0, scope: scope) }
            return parts.contains { $0 == nil } ? nil : .none(parts.compactMap { $0 })
        }
    }

    /// An output expression (`ruleActivated`, `conditionNotMet`).
    mutating func output(_ expr: CELExpression?, scope: ParamScope) -> (ok: Bool, CompiledExpression?) {
        guard let expr else { return (true, nil) }
        guard let (compiled, refs) = expression(expr), scope.check(refs, expr: expr, session: &self) else { return (false, nil) }
        return (true, compiled)
    }
}
