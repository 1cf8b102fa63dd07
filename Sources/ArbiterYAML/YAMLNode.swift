/// A YAML node with the file and position where it starts.
public struct YAMLNode: Sendable {
    /// The node's content.
    public enum Kind: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    /// The node's content.
    public var kind: Kind
    /// The file the node was read from.
    public var file: String
    /// Where the node starts (1-based).
    public var mark: YAMLMark

    /// Creates a node.
    public init(kind: Kind, file: String, mark: YAMLMark) {
        self.kind = kind
        self.file = file
        self.mark = mark
    }

    /// 1-based line where the node starts.
    public var line: Int { mark.line }
    /// 1-based column where the node starts.
    public var column: Int { mark.column }

    /// The scalar, if this node is one.
    public var scalar: YAMLScalar? {
        if case let .scalar(s) = kind { return s }
        return nil
    }

    /// The items, if this node is a sequence.
    public var sequence: [YAMLNode]? {
        if case let .sequence(items) = kind { return items }
        return nil
    }

    /// The pairs, if this node is a mapping.
    public var mapping: [YAMLPair]? {
        if case let .mapping(pairs) = kind { return pairs }
        return nil
    }

    /// A short word for the node's kind, for messages ("scalar", "sequence", "mapping").
    public var kindName: String {
        switch kind {
        case .scalar: return "scalar"
        case .sequence: return "sequence"
        case .mapping: return "mapping"
        }
    }
}
