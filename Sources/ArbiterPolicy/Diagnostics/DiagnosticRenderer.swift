/// Renders diagnostics as `file:line:column: message`, the source line and a caret, capped at a maximum count.
public struct DiagnosticRenderer: Sendable {
    /// How many diagnostics to print before summarising the rest as "N more".
    public var limit: Int
    /// Reads a file's text, given the diagnostic's file name; nil leaves the source line out.
    public var sourceProvider: @Sendable (String) -> String?

    /// Creates a renderer; `sourceProvider` usually reads the file relative to the policy directory.
    public init(limit: Int = 50, sourceProvider: @escaping @Sendable (String) -> String? = { _ in nil }) {
        self.limit = limit
        self.sourceProvider = sourceProvider
    }

    /// A renderer that shows source lines read from files relative to `directory` (what `load(directory:)` reports).
    public static func forDirectory(_ directory: String, limit: Int = 50) -> DiagnosticRenderer {
        DiagnosticRenderer(limit: limit) { file in
            guard case let .success(bytes) = FileContents.read(directory + "/" + file) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Renders sorted, de-duplicated diagnostics; each one ends with a newline.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        let all = Diagnostic.normalize(diagnostics)
        var out = ""
        var cachedFile: String?
        var cachedLines: [Substring] = []
        for d in all.prefix(max(0, limit)) {
            out += d.description + "\n"
            guard d.line > 0 else { continue }
            if cachedFile != d.file {
                cachedFile = d.file
                // Lines end as libyaml counts them: LF, CRLF or a lone CR. CRLF is one Character
                // in Swift, so splitting on "\n" alone would leave a CRLF file one long line.
                cachedLines = sourceProvider(d.file).map {
                    $0.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
                } ?? []
            }
            guard d.line <= cachedLines.count else { continue }
            let sourceLine = String(cachedLines[d.line - 1])
            out += "  " + sourceLine + "\n"
            out += "  " + Self.caretIndent(sourceLine, column: d.column) + "^\n"
        }
        if all.count > limit {
            out += "\(all.count - limit) more\n"
        }
        return out
    }

    /// Keeps tabs so the caret lines up under tab-indented source.
    private static func caretIndent(_ line: String, column: Int) -> String {
        var indent = ""
        for (i, ch) in line.unicodeScalars.enumerated() where i < column - 1 {
            indent.unicodeScalars.append(ch == "\t" ? "\t" : " ")
        }
        if column - 1 > line.unicodeScalars.count {
            indent += String(repeating: " ", count: column - 1 - line.unicodeScalars.count)
        }
        return indent
    }
}
