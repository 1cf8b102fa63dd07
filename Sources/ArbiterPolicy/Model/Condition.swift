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
