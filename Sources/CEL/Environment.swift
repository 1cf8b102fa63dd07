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

    let functions: [String: [Overload]]
    let constants: [String: Value]

    /// An environment with the standard library plus `libraries`, the given variables and container.
    public init(libraries: [any Library] = [], variables: [String] = [], container: String = "",
                includeStandardLibrary: Bool = true) {
        var libs: [any Library] = includeStandardLibrary ? [StandardLibrary()] : []
        libs.append(contentsOf: libraries)
        self.init(resolvedLibraries: libs, variables: variables, container: container)
    }

    init(resolvedLibraries libs: [any Library], variables: [String], container: String) {
        self.libraries = libs
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
    }

    /// This environment with more libraries.
    public func extending(with more: [any Library]) -> Environment {
        Environment(resolvedLibraries: libraries + more, variables: layout.names, container: container)
    }

    /// This environment with more variables (existing slots keep their numbers).
    public func declaring(variables more: [String]) -> Environment {
        Environment(resolvedLibraries: libraries, variables: layout.names + more, container: container)
    }

    /// This environment with another container.
    public func with(container: String) -> Environment {
        Environment(resolvedLibraries: libraries, variables: layout.names, container: container)
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

    /// The runtime overloads bound to `name` (for tools and tests).
    public func overloads(of name: String) -> [Overload] { functions[name] ?? [] }
}
