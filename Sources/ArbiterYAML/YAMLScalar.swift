/// How a scalar was written; block styles matter for mapping expression offsets back to the file.
public enum YAMLScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A scalar's text with its tag and style.
public struct YAMLScalar: Sendable, Hashable {
    /// The scalar's text after YAML unescaping and folding.
    public var value: String
    /// The explicit tag (for example `!!str`), if one was written.
    public var tag: String?
    /// The style it was written in.
    public var style: YAMLScalarStyle
    /// Where the scalar's text starts: for block scalars the first content line after the `|` or `>`
    /// indicator, at its indentation; for quoted scalars just after the opening quote.
    public var contentStart: YAMLMark
    /// For block scalars, where each non-blank source line's text begins in ``value`` (offsets in
    /// Unicode scalars), so an offset into the value maps back to a file line and column even after
    /// folding and indentation stripping. Empty for flow scalars.
    public var lineStarts: [LineStart]

    /// Where one source line of a block scalar starts in the scalar's value.
    public struct LineStart: Sendable, Hashable {
        /// Offset into the value, in Unicode scalars.
        public var offset: Int
        /// The file position of that character.
        public var mark: YAMLMark

        /// Creates a line start.
        public init(offset: Int, mark: YAMLMark) {
            self.offset = offset
            self.mark = mark
        }
    }

    /// Creates a scalar.
    public init(value: String, tag: String? = nil, style: YAMLScalarStyle = .plain, contentStart: YAMLMark, lineStarts: [LineStart] = []) {
        self.value = value
        self.tag = tag
        self.style = style
        self.contentStart = contentStart
        self.lineStarts = lineStarts
    }

    /// The file position of a 0-based offset (in Unicode scalars) into ``value``.
    ///
    /// Exact for block scalars and single-line flow scalars; for flow scalars broken over several
    /// lines, whose breaks YAML folded, positions after the first break are approximate.
    public func location(ofOffset offset: Int) -> YAMLMark {
        if !lineStarts.isEmpty {
            // The last line starting at or before the offset.
            var low = 0, high = lineStarts.count - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if lineStarts[mid].offset <= offset { low = mid } else { high = mid - 1 }
            }
            let start = lineStarts[low]
            return YAMLMark(line: start.mark.line, column: start.mark.column + max(0, offset - start.offset))
        }
        var line = contentStart.line
        var column = contentStart.column
        var index = 0
        for scalar in value.unicodeScalars {
            if index >= offset { break }
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            index += 1
        }
        return YAMLMark(line: line, column: column)
    }
}
