import ArbiterYAML

/// A CEL expression as written in a policy, with what is needed to map a CEL error offset back to the file.
public struct CELExpression: Sendable, Hashable {
    /// The expression text (after YAML unescaping and block-scalar indentation stripping).
    public var text: String
    /// The file it came from.
    public var file: String
    /// JSON-path-like location inside the policy, such as `resourcePolicy.rules[0].condition.match.expr`.
    public var path: String
    /// Where the YAML scalar starts (for a block scalar, the `|` or `>` indicator).
    public var mark: YAMLMark
    /// Where the expression text starts in the file.
    public var contentStart: YAMLMark
    /// How the scalar was written.
    public var style: YAMLScalarStyle

    /// Creates an expression.
    public init(text: String, file: String, path: String, mark: YAMLMark, contentStart: YAMLMark, style: YAMLScalarStyle) {
        self.text = text
        self.file = file
        self.path = path
        self.mark = mark
        self.contentStart = contentStart
        self.style = style
    }

    /// For block scalars, where each source line begins in ``text`` (see `YAMLScalar.lineStarts`).
    public var lineStarts: [YAMLScalar.LineStart] = []

    /// The file position of a 0-based offset (in Unicode scalars) into ``text``: exact for block scalars
    /// (literal and folded) and single-line flow scalars.
    public func location(ofOffset offset: Int) -> YAMLMark {
        YAMLScalar(value: text, style: style, contentStart: contentStart, lineStarts: lineStarts).location(ofOffset: offset)
    }
}
