import ArbiterYAML
import CEL

/// Decodes one YAML document into a ``Policy``, collecting every problem instead of stopping at the first.
///
/// A class so the field-walking helpers can take closures that report into the same diagnostics list.
final class PolicyDecoder {
    /// Key positions of one mapping, looked up linearly: mappings in policies have few keys.
    struct KeyMarks {
        private var entries: [(key: String, mark: YAMLMark)] = []

        subscript(key: String) -> YAMLMark? {
            get { entries.first { $0.key == key }?.mark }
            set { if let newValue { entries.append((key, newValue)) } }
        }
    }

    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    /// Paths already reported as unreadable, so constraint checks do not pile a second message on them.
    private var unreadablePaths = Set<String>()

    init(file: String) {
        self.file = file
    }

    var hasErrors: Bool { !diagnostics.isEmpty }

    func report(_ mark: YAMLMark, _ path: String, _ message: String, _ stage: Diagnostic.Stage) {
        if stage == .parse { unreadablePaths.insert(path) }
        diagnostics.append(Diagnostic(file: file, line: mark.line, column: mark.column, path: path, message: message, stage: stage))
    }

    /// Reports a constraint failure the way protovalidate words it: `<path>: <problem>`.
    func violation(_ mark: YAMLMark, _ path: String, _ problem: String) {
        if unreadablePaths.contains(path) { return }
        report(mark, path, path.isEmpty ? problem : "\(path): \(problem)", .validation)
    }

    // MARK: Paths

    static func child(_ path: String, _ key: String) -> String {
        let plain = key.utf8.allSatisfy { NamePattern.isWord($0) || $0 == UInt8(ascii: "$") }
        let component = plain && !key.isEmpty ? key : "'\(key)'"
        return path.isEmpty ? component : path + "." + component
    }

    static func index(_ path: String, _ i: Int) -> String { path + "[\(i)]" }

    // MARK: Structure helpers

    /// Walks a mapping's fields; `handle` returns false for a field it does not know.
    /// Returns false (after reporting) when the node is not a mapping.
    @discardableResult
    func fields(_ node: YAMLNode, _ path: String, _ handle: (String, YAMLPair, String) -> Bool) -> Bool {
        guard let pairs = mapping(node, path) else { return false }
        // Policy mappings have a handful of keys, so a linear duplicate scan beats hashing every key;
        // big maps (variables, constants) switch to a set.
        let small = pairs.count <= 16
        var seenList: [String] = []
        var seenSet = Set<String>()
        if small { seenList.reserveCapacity(pairs.count) }
        for pair in pairs {
            guard let key = pair.key.scalar?.value else {
                report(pair.key.mark, path, "mapping keys must be strings, got a \(pair.key.kindName)", .parse)
                continue
            }
            let childPath = Self.child(path, key)
            let isDuplicate: Bool
            if small {
                isDuplicate = seenList.contains(key)
                seenList.append(key)
            } else {
                isDuplicate = !seenSet.insert(key).inserted
            }
            guard !isDuplicate else {
                report(pair.key.mark, childPath, "duplicate field \"\(key)\"", .parse)
                continue
            }
            if !handle(key, pair, childPath) {
                report(pair.key.mark, childPath, "unknown field \"\(key)\"", .parse)
            }
        }
        return true
    }

    func mapping(_ node: YAMLNode, _ path: String) -> [YAMLPair]? {
        switch node.kind {
        case let .mapping(pairs): return pairs
        case let .scalar(s) where s.resolved == .null: return []
        default:
            report(node.mark, path, "expected a mapping, got a \(node.kindName)", .parse)
            return nil
        }
    }

    /// A string field; a YAML null counts as absent, numbers and booleans keep their text (Cerbos accepts `version: 1`).
    func string(_ node: YAMLNode, _ path: String) -> Located<String>? {
        guard let s = node.scalar else {
            report(node.mark, path, "expected a string, got a \(node.kindName)", .parse)
            return nil
        }
        if s.resolved == .null { return nil }
        return Located(s.value, mark: node.mark)
    }

    func bool(_ node: YAMLNode, _ path: String) -> Bool? {
        guard let s = node.scalar else {
            report(node.mark, path, "expected a boolean, got a \(node.kindName)", .parse)
            return nil
        }
        switch s.resolved {
        case let .bool(b): return b
        case .null: return nil
        case .string("true") where s.style != .plain: return true
        case .string("false") where s.style != .plain: return false
        default:
            report(node.mark, path, "expected a boolean, got \"\(s.value)\"", .parse)
            return nil
        }
    }

    func list<T>(_ node: YAMLNode, _ path: String, _ each: (YAMLNode, String) -> T?) -> [T] {
        switch node.kind {
        case let .sequence(items):
            var result: [T] = []
            result.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                if let value = each(item, Self.index(path, i)) { result.append(value) }
            }
            return result
        case let .scalar(s) where s.resolved == .null:
            return []
        default:
            report(node.mark, path, "expected a list, got a \(node.kindName)", .parse)
            return []
        }
    }

    func stringList(_ node: YAMLNode, _ path: String) -> [Located<String>] {
        list(node, path) { item, itemPath in
            // An explicit null item in a string list becomes "" in protojson, which the validators then see.
            if let s = item.scalar, s.resolved == .null { return Located("", mark: item.mark) }
            return string(item, itemPath)
        }
    }

    func expression(_ node: YAMLNode, _ path: String) -> CELExpression? {
        guard let s = node.scalar else {
            report(node.mark, path, "expected a string, got a \(node.kindName)", .parse)
            return nil
        }
        if s.resolved == .null { return nil }
        var expression = CELExpression(text: s.value, file: file, path: path, mark: node.mark, contentStart: s.contentStart, style: s.style)
        expression.lineStarts = s.lineStarts
        return expression
    }

    func enumValue<E: RawRepresentable>(_ node: YAMLNode, _ path: String, _ type: E.Type) -> Located<E>? where E.RawValue == String {
        guard let text = string(node, path) else { return nil }
        guard let value = E(rawValue: text.value) else {
            report(node.mark, path, "invalid value \"\(text.value)\" for \(path)", .parse)
            return nil
        }
        return Located(value, mark: node.mark)
    }

    /// A JSON-like value as protobuf's `Value` holds it: numbers become doubles, mapping keys strings.
    func jsonValue(_ node: YAMLNode, _ path: String) -> Value {
        switch node.kind {
        case let .scalar(s): return s.protobufValue
        case let .sequence(items):
            return .list(items.enumerated().map { jsonValue($0.element, Self.index(path, $0.offset)) })
        case let .mapping(pairs):
            var entries: [(String, Value)] = []
            entries.reserveCapacity(pairs.count)
            for pair in pairs {
                guard let key = pair.key.scalar?.value else {
                    report(pair.key.mark, path, "mapping keys must be strings, got a \(pair.key.kindName)", .parse)
                    continue
                }
                entries.append((key, jsonValue(pair.value, Self.child(path, key))))
            }
            return .map(MapValue(stringKeyed: entries))
        }
    }

    // MARK: Constraint helpers

    func requireNonEmpty(_ value: Located<String>?, _ mark: YAMLMark, _ path: String) {
        if value == nil || value!.value.isEmpty { violation(value?.mark ?? mark, path, "value is required") }
    }

    func checkPattern(_ value: Located<String>?, _ path: String, _ pattern: String, _ matches: (String) -> Bool) {
        guard let value, !matches(value.value) else { return }
        violation(value.mark, path, "does not match regex pattern `\(pattern)`")
    }

    /// Reports repeated items (keeping the first), and items failing `matches`.
    func checkItems(_ items: [Located<String>], _ path: String, unique: Bool, minItems: Int, at mark: YAMLMark,
                    pattern: String? = nil, _ matches: ((String) -> Bool)? = nil) {
        if items.count < minItems {
            violation(mark, path, "value must contain at least \(minItems) item(s)")
        }
        var seen = Set<String>()
        for (i, item) in items.enumerated() {
            if let matches, !matches(item.value) {
                violation(item.mark, Self.index(path, i), pattern.map { "does not match regex pattern `\($0)`" } ?? "value is invalid")
            } else if item.value.isEmpty {
                violation(item.mark, Self.index(path, i), "value length must be at least 1 characters")
            }
            if unique, !seen.insert(item.value).inserted {
                violation(item.mark, Self.index(path, i), "repeated value must contain unique items (\"\(item.value)\" is repeated)")
            }
        }
    }

    func checkIdentifier(_ name: Located<String>, _ path: String, kind: String) {
        if let problem = NamePattern.identifierProblem(name.value) {
            report(name.mark, path, "invalid \(kind) name: \(problem)", .compile)
        }
    }
}
