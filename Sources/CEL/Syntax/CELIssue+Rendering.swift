/// Rendering of issues the way cel-go prints them:
///
///     ERROR: <input>:1:3: Syntax error: mismatched input ...
///      | a +
///      | ..^
extension CELIssue {
    /// Renders this issue against the source text it was found in.
    public func rendered(source: String, description: String = "<input>") -> String {
        var out = "ERROR: \(description):\(line):\(column): \(message)"
        guard line >= 1, column >= 1, let snippet = Self.line(line, of: source) else { return out }
        // Tabs become spaces so that the caret line stays aligned in a terminal.
        let shown = snippet.map { $0 == "\t" ? " " : $0 }
        out += "\n | " + String(String.UnicodeScalarView(shown))
        var marker = "\n | "
        let caretIndex = column - 1
        var index = 0
        while index < caretIndex && index < shown.count {
            // Wide (non-ASCII) characters get a wide dot so the caret lines up, as cel-go does.
            marker += shown[index].value < 0x80 ? "." : "\u{FF0E}"
            index += 1
        }
        if caretIndex < shown.count && shown[caretIndex].value >= 0x80 {
            marker += "\u{FF3E}"
        } else {
            marker += "^"
        }
        return out + marker
    }

    /// Renders several issues, stably sorted by position as cel-go's `ToDisplayString` does, one
    /// block per issue separated by newlines.
    public static func render(_ issues: [CELIssue], source: String, description: String = "<input>") -> String {
        issues.enumerated()
            .sorted { ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset) }
            .map { $0.element.rendered(source: source, description: description) }
            .joined(separator: "\n")
    }

    /// The scalars of 1-based line `number`, without its terminator.
    private static func line(_ number: Int, of source: String) -> [Unicode.Scalar]? {
        var current = 1
        var scalars: [Unicode.Scalar] = []
        for scalar in source.unicodeScalars {
            if scalar == "\n" {
                if current == number { return scalars }
                current += 1
                continue
            }
            if current == number { scalars.append(scalar) }
        }
        return current == number ? scalars : nil
    }
}
