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

    /// The file position of a 0-based offset (in Unicode scalars) into ``text``.
    ///
    /// Exact for plain and literal scalars and for single-line quoted ones; for folded scalars and
    /// multi-line quoted scalars, whose line breaks YAML rewrote, lines are approximated from the
    /// remaining line breaks and the offset is clamped to the start.
    public func location(ofOffset offset: Int) -> YAMLMark {
        var line = contentStart.line
        var column = contentStart.column
        var index = 0
        let isBlock = style == .literal || style == .folded
        for scalar in text.unicodeScalars {
            if index >= offset { break }
            if scalar == "\n" {
                line += 1
                column = isBlock ? contentStart.column : 1
            } else {
                column += 1
            }
            index += 1
        }
        return YAMLMark(line: line, column: column)
    }
}
