import ArbiterYAML

/// A rule or derived-role condition: a `match` tree, or the unsupported legacy `script`.
public struct Condition: Sendable {
    /// The condition's form.
    public enum Kind: Sendable {
        /// A `match:` expression tree.
        case match(Match)
        /// A `script:`; Cerbos rejects these at compile time.
        case script(Located<String>)
    }

    /// The condition's form.
    public var kind: Kind
    /// Where the `condition` mapping starts.
    public var mark: YAMLMark
    /// JSON-path-like location of the condition.
    public var path: String

    /// Creates a condition.
    public init(kind: Kind, mark: YAMLMark, path: String) {
        self.kind = kind
        self.mark = mark
        self.path = path
    }

    /// The match tree, unless this is a script condition.
    public var match: Match? {
        if case let .match(m) = kind { return m }
        return nil
    }
}

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
