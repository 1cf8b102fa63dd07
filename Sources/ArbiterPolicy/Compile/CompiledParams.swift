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
        /// Whether the value is the same whenever during a request it is evaluated, and the
        /// expression can see no other variable than through `V.<name>`: true when it reads
        /// neither `runtime` (which changes from scope to scope) nor the whole `V`/`C` object.
        /// Such variables may be evaluated when first read instead of when the block is bound.
        public let deferrable: Bool

        /// Creates a variable.
        public init(name: String, expression: CompiledExpression, readsVariables: Bool = true, deferrable: Bool = false) {
            self.name = name
            self.expression = expression
            self.readsVariables = readsVariables
            self.deferrable = deferrable
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
    /// True when there are variables and every one is `deferrable`: a request that reports no
    /// evaluation errors may then evaluate each variable only if an expression reads it.
    public let deferrable: Bool

    /// Creates a block; `id` is assigned when the block is added to a policy set.
    public init(constants: MapValue = MapValue(), variables: [Variable] = []) {
        id = -1
        isEmpty = constants.count == 0 && variables.isEmpty
        self.constants = .object(NamedValues(constants))
        self.variables = variables
        deferrable = !variables.isEmpty && variables.allSatisfy(\.deferrable)
    }
}
