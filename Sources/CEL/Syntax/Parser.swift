/// Parses CEL source text into an `Expr`, expanding macros (a hand-written recursive-descent
/// parser for the grammar of cel-spec's langdef).
public struct Parser: Sendable {
    /// The options this parser was made with.
    public let options: ParserOptions
    private let macroTable: [String: Macro]

    public init(options: ParserOptions = .init()) {
        self.options = options
        var table: [String: Macro] = [:]
        if options.enableMacros {
            for macro in options.macros {
                table[macro.key] = macro
            }
        }
        self.macroTable = table
    }

    /// Parses `source`; `description` names the source in diagnostics (a file name or `<input>`).
    public func parse(_ source: String, description: String = "<input>") -> ParseResult {
        let scalars = Array(source.unicodeScalars)
        var lineOffsets: [Int] = []
        for (offset, scalar) in scalars.enumerated() where scalar == "\n" {
            lineOffsets.append(offset + 1)
        }
        var info = SourceInfo(description: description, lineOffsets: lineOffsets)
        if scalars.count > options.expressionSizeCodePointLimit {
            let message = "expression code point size exceeds limit: size: \(scalars.count), "
                + "limit \(options.expressionSizeCodePointLimit)"
            return ParseResult(expr: nil, sourceInfo: info,
                               issues: [CELIssue(message: message, offset: 0, sourceInfo: info)])
        }
        let state = ExprParser(scalars: scalars, options: options, macros: macroTable, sourceInfo: info)
        let expr = state.parseStart()
        info = state.sourceInfo
        let issues = state.issues
        return ParseResult(expr: issues.isEmpty ? expr : nil, sourceInfo: info, issues: issues)
    }
}
