import ArbiterYAML

/// One node of a `match` tree: an expression, or `all`/`any`/`none` of nested matches.
public struct Match: Sendable {
    /// The node's operator.
    public enum Kind: Sendable {
        case expr(CELExpression)
        case all([Match])
        case any([Match])
        case none([Match])
    }

    /// The node's operator.
    public var kind: Kind
    /// Where the node's mapping starts.
    public var mark: YAMLMark

    /// Creates a match node.
    public init(kind: Kind, mark: YAMLMark) {
        self.kind = kind
        self.mark = mark
    }

    /// Every expression in the tree, depth first.
    public var expressions: [CELExpression] {
        switch kind {
        case let .expr(e): return [e]
        case let .all(ms), let .any(ms), let .none(ms): return ms.flatMap(\.expressions)
        }
    }
}
