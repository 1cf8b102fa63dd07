/// What an identifier, select or call node was resolved to by the checker.
public enum Reference: Sendable, Hashable {
    /// A variable (or type name) by its fully-qualified declared name.
    case identifier(String)
    /// A function call: the ids of the overloads that may apply, in declaration order. More than
    /// one when argument types are `dyn`; the runtime picks by the actual values.
    case function(overloadIDs: [String])
}

/// A type-checked expression: the (rewritten) tree plus a type and a reference per node.
///
/// The checker rewrites the tree the way cel-go does: a select chain naming a declared variable
/// (`a.b.c` with `a.b.c` declared) becomes one identifier node with the fully-qualified name,
/// identifiers resolved through the container carry the full name, and a namespaced function
/// call (`math.abs(x)`) loses its receiver and carries the full function name. Node ids are kept.
public struct CheckedAST: Sendable {
    /// The checked tree, with resolved names.
    public var expr: Expr
    /// Positions and macro calls, as the parser produced them.
    public var sourceInfo: SourceInfo
    /// Node id to deduced type; type variables left unbound are `dyn`.
    public var typeMap: [Int64: CheckedType]
    /// Node id to resolution, for global identifiers, qualified names, calls and message
    /// constructions. Comprehension variables get no entry: an identifier without a reference is local.
    public var referenceMap: [Int64: Reference]

    /// Assembles a checked AST (the checker makes these; tools may build them by hand).
    public init(expr: Expr, sourceInfo: SourceInfo, typeMap: [Int64: CheckedType], referenceMap: [Int64: Reference]) {
        self.expr = expr; self.sourceInfo = sourceInfo; self.typeMap = typeMap; self.referenceMap = referenceMap
    }

    /// The type of the whole expression.
    public var resultType: CheckedType { typeMap[expr.id] ?? .dyn }

    /// Call node id to the candidate overload ids (the shape `Environment.program` takes).
    public var checkedOverloads: [Int64: [String]] {
        var out: [Int64: [String]] = [:]
        for (id, ref) in referenceMap {
            if case let .function(ids) = ref { out[id] = ids }
        }
        return out
    }
}
