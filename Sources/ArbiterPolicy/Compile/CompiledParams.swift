import CEL

/// The variables and constants one policy (or derived-roles set) sees.
///
/// Variables are kept in dependency order so the engine can evaluate them front to back, each
/// seeing the ones before it. `id` is dense across a `PolicySet`, for per-request caches.
/// The block itself sits in one immutable object: the engine passes a block around for every
/// row and derived role it evaluates, and a copy is then one retain and an integer instead of
/// two retains and an enum copy.
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

    @usableFromInline final class Storage: Sendable {
        @usableFromInline let constants: Value
        @usableFromInline let variables: [Variable]
        @usableFromInline let isEmpty: Bool
        @usableFromInline let deferrable: Bool

        init(constants: Value, variables: [Variable], isEmpty: Bool, deferrable: Bool) {
            self.constants = constants
            self.variables = variables
            self.isEmpty = isEmpty
            self.deferrable = deferrable
        }
    }

    /// Dense index of this parameter block within its policy set; -1 until a
    /// `PolicySetBuilder` registers the block (`registered(id:)`).
    public let id: Int
    @usableFromInline let storage: Storage

    /// The constants as the `C` object.
    @inlinable public var constants: Value { storage.constants }
    /// Variables in evaluation (dependency) order.
    @inlinable public var variables: [Variable] { storage.variables }
    /// True when there are neither constants nor variables.
    @inlinable public var isEmpty: Bool { storage.isEmpty }
    /// True when there are variables and every one is `deferrable`: a request that reports no
    /// evaluation errors may then evaluate each variable only if an expression reads it.
    @inlinable public var deferrable: Bool { storage.deferrable }

    /// Creates a block; `id` is assigned when the block is added to a policy set.
    public init(constants: MapValue = MapValue(), variables: [Variable] = []) {
        id = -1
        storage = Storage(constants: .object(NamedValues(constants)), variables: variables,
                          isEmpty: constants.count == 0 && variables.isEmpty,
                          deferrable: !variables.isEmpty && variables.allSatisfy(\.deferrable))
    }

    private init(id: Int, storage: Storage) {
        self.id = id
        self.storage = storage
    }

    /// The same block under the id a policy-set builder hands out (the storage is shared).
    func registered(id: Int) -> CompiledParams { CompiledParams(id: id, storage: storage) }
}
