/// One problem found in a policy file or policy set.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// Which step of loading found the problem; later steps only run on what earlier ones accepted.
    public enum Stage: Int, Sendable, Hashable, Comparable {
        /// YAML syntax, wrong types, unknown fields: the file cannot be read as a policy.
        case parse
        /// Field constraints of a single policy (names, required fields, duplicates inside the policy).
        case validation
        /// Policy-set checks: duplicate definitions, missing imports and ancestors, scope permissions.
        case index
        /// Checks Cerbos makes when compiling (scripts, empty outputs, identifiers, derived role references).
        case compile

        /// Earlier steps sort first.
        public static func < (a: Stage, b: Stage) -> Bool { a.rawValue < b.rawValue }
    }

    /// The file, relative to the loaded directory when it came from a directory.
    public var file: String
    /// 1-based line; 0 when the problem has no position (for example a directory).
    public var line: Int
    /// 1-based column; 0 when the problem has no position.
    public var column: Int
    /// JSON-path-like location inside the policy, such as `resourcePolicy.rules[2].roles`; empty for the whole file.
    public var path: String
    /// What is wrong.
    public var message: String
    /// The step that found it.
    public var stage: Stage

    /// Creates a diagnostic.
    public init(file: String, line: Int, column: Int, path: String = "", message: String, stage: Stage) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
        self.stage = stage
    }

    /// `file:line:column: message`, the first line of the rendered form.
    public var description: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }

    /// Orders by file, line, column, then message.
    public static func sortOrder(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        if a.file != b.file { return a.file < b.file }
        if a.line != b.line { return a.line < b.line }
        if a.column != b.column { return a.column < b.column }
        return a.message < b.message
    }

    /// Sorts and removes duplicates: the same message at the same file and position is reported once
    /// (the first one kept), whatever path or stage found it.
    public static func normalize(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        struct Key: Hashable { var file: String; var line: Int; var column: Int; var message: String }
        var seen = Set<Key>()
        var unique: [Diagnostic] = []
        unique.reserveCapacity(diagnostics.count)
        for d in diagnostics where seen.insert(Key(file: d.file, line: d.line, column: d.column, message: d.message)).inserted {
            unique.append(d)
        }
        return unique.sorted(by: sortOrder)
    }
}
