import CLibYAML

/// Reads YAML (and JSON, which libyaml accepts as YAML flow syntax) into node trees.
///
/// This file is the only place that touches libyaml and its unsafe pointers.
public enum YAMLParser {
    /// Upper bound on nodes after alias expansion, so a "billion laughs" document fails instead of eating memory.
    public static let maximumExpandedNodes = 2_000_000
    /// Upper bound on collection nesting, so later recursive walks over the tree cannot exhaust the stack.
    public static let maximumDepth = 256

    /// Parses every document in `bytes`; an empty or comment-only input gives no documents.
    public static func parse(_ bytes: [UInt8], file: String) throws(YAMLError) -> [YAMLNode] {
        let bytes = SurrogateEscapes.rewrite(bytes) ?? bytes
        var builder = YAMLTreeBuilder(file: file, source: bytes)
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw YAMLError(file: file, mark: YAMLMark(line: 1, column: 1), message: "cannot initialise the YAML parser")
        }
        defer { yaml_parser_delete(&parser) }
        let result: Result<[YAMLNode], YAMLError> = bytes.withUnsafeBufferPointer { buffer in
            // libyaml wants a non-null pointer even for empty input.
            let empty: [UInt8] = [0]
            return empty.withUnsafeBufferPointer { fallback in
                let base = buffer.count > 0 ? buffer.baseAddress! : fallback.baseAddress!
                yaml_parser_set_input_string(&parser, base, buffer.count)
                yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
                return runEvents(&parser, builder: &builder)
            }
        }
        return try result.get()
    }

    /// Parses a UTF-8 string; see ``parse(_:file:)``.
    public static func parse(_ text: String, file: String) throws(YAMLError) -> [YAMLNode] {
        try parse(Array(text.utf8), file: file)
    }

    private static func runEvents(_ parser: inout yaml_parser_t, builder: inout YAMLTreeBuilder) -> Result<[YAMLNode], YAMLError> {
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                return .failure(parserError(parser, file: builder.file))
            }
            defer { yaml_event_delete(&event) }
            let mark = YAMLMark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
            do {
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return .success(builder.documents)
                case YAML_DOCUMENT_START_EVENT, YAML_DOCUMENT_END_EVENT, YAML_STREAM_START_EVENT, YAML_NO_EVENT:
                    continue
                case YAML_ALIAS_EVENT:
                    try builder.alias(name: string(event.data.alias.anchor), mark: mark)
                case YAML_SCALAR_EVENT:
                    let data = event.data.scalar
                    let value = data.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: data.length), as: UTF8.self) } ?? ""
                    let style: YAMLScalarStyle
                    switch data.style {
                    case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
                    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
                    case YAML_LITERAL_SCALAR_STYLE: style = .literal
                    case YAML_FOLDED_SCALAR_STYLE: style = .folded
                    default: style = .plain
                    }
                    try builder.scalar(value: value, tag: optionalString(data.tag), style: style,
                                       anchor: optionalString(data.anchor), mark: mark)
                case YAML_SEQUENCE_START_EVENT:
                    try builder.startCollection(isMapping: false, anchor: optionalString(event.data.sequence_start.anchor), mark: mark)
                case YAML_MAPPING_START_EVENT:
                    try builder.startCollection(isMapping: true, anchor: optionalString(event.data.mapping_start.anchor), mark: mark)
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    try builder.endCollection()
                default:
                    continue
                }
            } catch {
                return .failure(error)
            }
        }
    }

    private static func parserError(_ parser: yaml_parser_t, file: String) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        let context = parser.context.map { String(cString: $0) } ?? ""
        let problemMark = YAMLMark(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
        guard !context.isEmpty else { return YAMLError(file: file, mark: problemMark, message: problem) }
        // A scanner error (an unterminated quote, a bad escape) is best shown where the token started,
        // which may be far above where libyaml gave up; parser errors are most precise at the problem.
        if parser.error == YAML_SCANNER_ERROR {
            let contextMark = YAMLMark(line: Int(parser.context_mark.line) + 1, column: Int(parser.context_mark.column) + 1)
            if contextMark != problemMark {
                return YAMLError(file: file, mark: contextMark,
                                 message: "\(problem) \(context) (reached line \(problemMark.line), column \(problemMark.column))")
            }
        }
        return YAMLError(file: file, mark: problemMark, message: "\(problem) \(context)")
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String {
        optionalString(pointer) ?? ""
    }

    private static func optionalString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    }
}
