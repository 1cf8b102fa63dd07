/// Everything needed to turn CEL source into programs: libraries (functions, constants,
/// and as they land, macros and declarations), declared variables, and the container used to
/// resolve names. Immutable and `Sendable`; derive variants with `extending`/`declaring`.
public struct Environment: Sendable {
    /// Names are resolved relative to this dotted namespace (`com.example` tries
    /// `com.example.x`, `com.x`, then `x`).
    public let container: String
    /// Libraries in registration order.
    public let libraries: [any Library]
    /// Declared variable names, in slot order.
    public var variableNames: [String] { layout.names }
    /// Variable slot numbering shared by every program of this environment.
    public let layout: VariableLayout

    /// Parser settings; by default cel-go's, with the macros of every library.
    public let parserOptions: ParserOptions

    let functions: [String: [Overload]]
    let constants: [String: Value]
    /// Compile-time checks contributed by `ValidatingLibrary` libraries.
    let validators: [any ASTValidator]

    /// An environment with the standard library plus `libraries`, the given variables and container.
    /// `parserOptions` nil means cel-go's defaults with the libraries' macros.
    public init(libraries: [any Library] = [], variables: [String] = [], container: String = "",
                includeStandardLibrary: Bool = true, parserOptions: ParserOptions? = nil) {
        var libs: [any Library] = includeStandardLibrary ? [StandardLibrary()] : []
        libs.append(contentsOf: libraries)
        self.init(resolvedLibraries: libs, variables: variables, container: container, parserOptions: parserOptions)
    }

    init(resolvedLibraries libs: [any Library], variables: [String], container: String, parserOptions: ParserOptions?) {
        self.libraries = libs
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
        self.container = container
        self.layout = VariableLayout(names: variables)
        var fns: [String: [Overload]] = [:]
        var consts: [String: Value] = [:]
        for lib in libs {
            for binding in lib.functions { fns[binding.name, default: []].append(contentsOf: binding.overloads) }
            for c in lib.constants { consts[c.name] = c.value }
        }
        self.functions = fns
        self.constants = consts
        self.validators = libs.flatMap { ($0 as? any ValidatingLibrary)?.validators ?? [] }
    }

    /// This environment with more libraries.
    public func extending(with more: [any Library]) -> Environment {
        Environment(resolvedLibraries: libraries + more, variables: layout.names, container: container, parserOptions: nil)
    }

    /// This environment with more variables (existing slots keep their numbers).
    public func declaring(variables more: [String]) -> Environment {
        Environment(resolvedLibraries: libraries, variables: layout.names + more, container: container,
                    parserOptions: parserOptions)
    }

    /// This environment with another container.
    public func with(container: String) -> Environment {
        Environment(resolvedLibraries: libraries, variables: layout.names, container: container,
                    parserOptions: parserOptions)
    }

    /// An empty activation for this environment's variables.
    public func makeActivation(_ bindings: [String: Value] = [:]) -> Activation {
        Activation(layout: layout, bindings: bindings)
    }

    /// Plans an already parsed (and possibly checked) expression. `checkedOverloads` maps call
    /// node ids to the overload ids a checker selected.
    public func program(for expr: Expr, checkedOverloads: [Int64: [String]] = [:]) -> Program {
        var planner = Planner(functions: functions, constants: constants, layout: layout, container: container,
                              checkedOverloads: checkedOverloads)
        let root = planner.plan(expr)
        return Program(root: root, localCount: planner.localCount, layout: layout)
    }

    /// Parses and plans `source`. On syntax errors the result has issues and no program.
    public func compile(_ source: String) -> CompileResult {
        let parsed = Parser(options: parserOptions).parse(source)
        guard let expr = parsed.expr, parsed.issues.isEmpty else {
            return CompileResult(program: nil, expr: parsed.expr, sourceInfo: parsed.sourceInfo, issues: parsed.issues)
        }
        let invalid = validators.flatMap { $0.validate(expr, sourceInfo: parsed.sourceInfo) }
        guard invalid.isEmpty else {
            return CompileResult(program: nil, expr: expr, sourceInfo: parsed.sourceInfo, issues: invalid)
        }
        return CompileResult(program: program(for: expr), expr: expr, sourceInfo: parsed.sourceInfo, issues: [])
    }

    /// The runtime overloads bound to `name` (for tools and tests).
    public func overloads(of name: String) -> [Overload] { functions[name] ?? [] }
}
