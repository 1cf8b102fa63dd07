/// Everything needed to turn CEL source into programs: libraries (runtime functions, constants,
/// macros, checker declarations), declared variables, the container used to resolve names, and
/// whether expressions are type-checked. Immutable and `Sendable`; derive variants with
/// `extending`, `declaring` and `with(container:)`.
public struct Environment: Sendable {
    /// Names are resolved relative to this dotted namespace (`com.example` tries
    /// `com.example.x`, `com.x`, then `x`).
    public let container: String
    /// Libraries in registration order.
    public let libraries: [any Library]
    /// Declared variables with their types (`dyn` when declared by name only).
    public let variables: [VariableDecl]
    /// Variable slot numbering shared by every program of this environment.
    public let layout: VariableLayout
    /// Parser settings; by default cel-go's, with the macros of every library.
    public let parserOptions: ParserOptions
    /// Whether `compile` type-checks (cel-go always does; the conformance `disableCheck` turns it off).
    public let checking: Bool
    /// What the checker checks against: the standard declarations (with cross-type numeric
    /// comparisons, as Cerbos enables them), each library's, and the variables.
    public let declarations: Declarations
    /// The bounds the programs of this environment evaluate under.
    public let limits: EvaluationLimits

    let functions: [String: [Overload]]
    let constants: [String: Value]
    private let explicitParserOptions: ParserOptions?
    private let includesStandardLibrary: Bool
    /// Compile-time checks contributed by `ValidatingLibrary` libraries.
    let validators: [any ASTValidator]
    /// Built once: building a parser's macro table in every `compile` shows in the compile
    /// time of large policy sets.
    private let parser: Parser

    /// An environment with the standard library plus `libraries`, variables declared `dyn` by name.
    public init(libraries: [any Library] = [], variables: [String] = [], container: String = "",
                includeStandardLibrary: Bool = true, parserOptions: ParserOptions? = nil, checking: Bool = true) {
        self.init(libraries: libraries, declaring: variables.map { VariableDecl($0, .dyn) }, container: container,
                  includeStandardLibrary: includeStandardLibrary, parserOptions: parserOptions, checking: checking)
    }

    /// An environment with the standard library plus `libraries` and typed variable declarations.
    /// `parserOptions` nil means cel-go's defaults with the libraries' macros.
    public init(libraries: [any Library] = [], declaring variables: [VariableDecl], container: String = "",
                includeStandardLibrary: Bool = true, parserOptions: ParserOptions? = nil, checking: Bool = true) {
        var libs: [any Library] = includeStandardLibrary ? [StandardLibrary()] : []
        libs.append(contentsOf: libraries)
        self.init(resolved: libs, variables: variables, container: container, parserOptions: parserOptions,
                  checking: checking, includesStandardLibrary: includeStandardLibrary)
    }

    private init(resolved libs: [any Library], variables: [VariableDecl], container: String,
                 parserOptions: ParserOptions?, checking: Bool, includesStandardLibrary: Bool,
                 limits: EvaluationLimits = .default) {
        self.libraries = libs
        self.limits = limits
        self.container = container
        self.checking = checking
        self.includesStandardLibrary = includesStandardLibrary
        self.explicitParserOptions = parserOptions
        var seenVars = Set<String>()
        self.variables = variables.reversed().filter { seenVars.insert($0.name).inserted }.reversed()
        self.layout = VariableLayout(names: self.variables.map(\.name))
        if let parserOptions {
            self.parserOptions = parserOptions
        } else {
            var macros: [Macro] = []
            var seen = Set<String>()
            for lib in libs {
                for m in lib.macros where seen.insert("\(m.name)/\(m.arity)/\(m.style)").inserted { macros.append(m) }
            }
            self.parserOptions = ParserOptions(macros: macros)
        }
        self.parser = Parser(options: self.parserOptions)
        var decls = includesStandardLibrary ? Declarations.standard(crossTypeNumericComparisons: true) : Declarations()
        var fns: [String: [Overload]] = [:]
        var consts: [String: Value] = [:]
        for lib in libs {
            for binding in lib.functions { fns[binding.name, default: []].append(contentsOf: binding.overloads) }
            for c in lib.constants { consts[c.name] = c.value }
            decls.add(lib.declarations)
            for v in lib.identifierDeclarations { decls.add(v) }
        }
        for v in self.variables { decls.add(v) }
        self.declarations = decls
        self.functions = fns
        self.constants = consts
        self.validators = libs.flatMap { ($0 as? any ValidatingLibrary)?.validators ?? [] }
    }

    /// This environment with more libraries.
    public func extending(with more: [any Library]) -> Environment {
        Environment(resolved: libraries + more, variables: variables, container: container,
                    parserOptions: explicitParserOptions, checking: checking, includesStandardLibrary: includesStandardLibrary,
                    limits: limits)
    }

    /// This environment with more variables (existing slots keep their numbers).
    public func declaring(_ more: [VariableDecl]) -> Environment {
        Environment(resolved: libraries, variables: variables + more, container: container,
                    parserOptions: explicitParserOptions, checking: checking, includesStandardLibrary: includesStandardLibrary,
                    limits: limits)
    }

    /// This environment with another container.
    public func with(container: String) -> Environment {
        Environment(resolved: libraries, variables: variables, container: container,
                    parserOptions: explicitParserOptions, checking: checking, includesStandardLibrary: includesStandardLibrary,
                    limits: limits)
    }

    /// This environment with checking turned on or off.
    public func with(checking: Bool) -> Environment {
        Environment(resolved: libraries, variables: variables, container: container,
                    parserOptions: explicitParserOptions, checking: checking, includesStandardLibrary: includesStandardLibrary,
                    limits: limits)
    }

    /// This environment with other evaluation limits.
    public func with(limits: EvaluationLimits) -> Environment {
        Environment(resolved: libraries, variables: variables, container: container,
                    parserOptions: explicitParserOptions, checking: checking, includesStandardLibrary: includesStandardLibrary,
                    limits: limits)
    }

    /// An empty activation for this environment's variables.
    public func makeActivation(_ bindings: [String: Value] = [:]) -> Activation {
        Activation(layout: layout, bindings: bindings)
    }

    /// Parses, checks (when `checking`) and plans `source`. On errors the result has issues and
    /// no program.
    public func compile(_ source: String) -> CompileResult {
        let parsed = parser.parse(source)
        guard let expr = parsed.expr, parsed.issues.isEmpty else {
            return CompileResult(program: nil, expr: parsed.expr, sourceInfo: parsed.sourceInfo, issues: parsed.issues)
        }
        guard checking else {
            return CompileResult(program: program(for: expr), expr: expr, sourceInfo: parsed.sourceInfo, issues: [])
        }
        let (checked, issues) = Checker.check(expr, sourceInfo: parsed.sourceInfo, declarations: declarations,
                                              container: container)
        guard let checked else {
            return CompileResult(program: nil, expr: expr, sourceInfo: parsed.sourceInfo, issues: issues)
        }
        if let invalid = validationIssues(checked) { return invalid }
        var result = CompileResult(program: program(for: checked), expr: checked.expr, sourceInfo: parsed.sourceInfo,
                                   issues: [])
        result.checked = checked
        return result
    }

    /// The validators' issues as a failed result, nil when there are none (cel-go runs its
    /// `ASTValidators` after a successful check).
    private func validationIssues(_ checked: CheckedAST) -> CompileResult? {
        let issues = validators.flatMap { $0.validate(checked) }
        return issues.isEmpty ? nil : CompileResult(program: nil, expr: checked.expr, sourceInfo: checked.sourceInfo, issues: issues)
    }

    /// Plans an unchecked expression: names resolve by container rules at plan time.
    public func program(for expr: Expr) -> Program {
        var planner = Planner(functions: functions, constants: constants, layout: layout, container: container,
                              limits: limits)
        let root = planner.plan(expr)
        return Program(root: root, localCount: planner.localCount, layout: layout, limits: limits)
    }

    /// Plans a checked expression, using the checker's name resolution and overload choices.
    public func program(for checked: CheckedAST) -> Program {
        var planner = Planner(functions: functions, constants: constants, layout: layout, container: container,
                              limits: limits, references: checked.referenceMap)
        let root = planner.plan(checked.expr)
        return Program(root: root, localCount: planner.localCount, layout: layout, limits: limits)
    }

    /// The runtime overloads bound to `name` (for tools and tests).
    public func overloads(of name: String) -> [Overload] { functions[name] ?? [] }
}
