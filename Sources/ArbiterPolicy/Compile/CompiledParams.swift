import CEL

/// The variables and constants one policy (or derived-roles set) sees.
///
/// Variables are kept in dependency order so the engine can evaluate them front to back, each
/// seeing the ones before it. `id` is dense across a `PolicySet`, for per-request caches.
public struct CompiledParams: Sendable {
    /// One variable definition.
    public struct Variable: Sendable {
        /// The variable name (`V.<name>`).
        public let name: String
        /// Its expression.
        public let expression: CompiledExpression
        /// Whether the expression reads `V`/`variables`; when false the engine need not rebind
        /// the partial variables object before evaluating it (saves one object per variable).
        public let readsVariables: Bool

        /// Creates a variable.
        public init(name: String, expression: CompiledExpression, readsVariables: Bool = true) {
            self.name = name
            self.expression = expression
            self.readsVariables = readsVariables
        }
    }

    /// Dense index of this parameter block within its policy set.
    public internal(set) var id: Int
    /// The constants as the `C` object.
    public let constants: Value
    /// Variables in evaluation (dependency) order.
    public let variables: [Variable]

    /// True when there are neither constants nor variables.
    public let isEmpty: Bool

    /// Creates a block; `id` is assigned when the block is added to a policy set.
    public init(constants: MapValue = MapValue(), variables: [Variable] = []) {
        id = -1
        isEmpty = constants.count == 0 && variables.isEmpty
        self.constants = .object(NamedValues(constants))
        self.variables = variables
    }
}
