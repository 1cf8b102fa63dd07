import ArbiterPolicy
import ArbiterYAML
import CEL

extension TestSuiteDecoder {
    func report(_ mark: YAMLMark, _ path: String, _ message: String) {
        let text = path.isEmpty ? message : "\(path): \(message)"
        diagnostics.append(Diagnostic(file: file, line: mark.line, column: mark.column, path: path, message: text, stage: .parse))
    }

    static func child(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    static func isNull(_ node: YAMLNode) -> Bool {
        if let s = node.scalar, s.style == .plain, case .null = s.resolved { return true }
        return false
    }

    /// Visits a mapping's fields; `handle` returns false for a field it does not know.
    func fields(_ node: YAMLNode, _ path: String, anyKey: Bool = false,
                _ handle: (String, YAMLPair, String) -> Bool) {
        if Self.isNull(node) { return }
        guard let pairs = node.mapping else {
            report(node.mark, path, "expected a mapping, got a \(node.kindName)")
            return
        }
        var seen = Set<String>()
        for pair in pairs {
            guard let key = pair.key.scalar?.value else {
                report(pair.key.mark, path, "mapping keys must be strings, got a \(pair.key.kindName)")
                continue
            }
            if !seen.insert(key).inserted {
                report(pair.key.mark, path, "duplicate field \"\(key)\"")
                continue
            }
            if !handle(key, pair, anyKey ? path : Self.child(path, key)) {
                report(pair.key.mark, path, "unknown field \"\(key)\"")
            }
        }
    }

    func string(_ node: YAMLNode, _ path: String) -> String? {
        guard let s = node.scalar else {
            report(node.mark, path, "expected a string, got a \(node.kindName)")
            return nil
        }
        if s.style == .plain, case .null = s.resolved { return "" }
        return s.value
    }

    func bool(_ node: YAMLNode, _ path: String) -> Bool? {
        if let s = node.scalar, case let .bool(b) = s.resolved { return b }
        report(node.mark, path, "expected true or false, got \(node.scalar.map { "\"\($0.value)\"" } ?? "a \(node.kindName)")")
        return nil
    }

    func strings(_ node: YAMLNode, _ path: String) -> [String] {
        list(node, path) { item, itemPath in self.string(item, itemPath) }
    }

    func list<T>(_ node: YAMLNode, _ path: String, _ element: (YAMLNode, String) -> T?) -> [T] {
        if Self.isNull(node) { return [] }
        guard let items = node.sequence else {
            report(node.mark, path, "expected a sequence, got a \(node.kindName)")
            return []
        }
        return items.enumerated().compactMap { element($0.element, "\(path)[\($0.offset)]") }
    }

    /// A mapping of name → definition, such as `principals:` or `resources:`.
    func namedMap<T>(_ node: YAMLNode, _ path: String, _ element: (YAMLNode, String) -> T?) -> [String: T] {
        var out: [String: T] = [:]
        fields(node, path, anyKey: true) { key, pair, _ in
            if let value = element(pair.value, path + "[\"\(key)\"]") { out[key] = value }
            return true
        }
        return out
    }

    /// A YAML node as a JSON-shaped CEL value; numbers are doubles, as in protobuf `Value`.
    func jsonValue(_ node: YAMLNode, _ path: String) -> Value {
        switch node.kind {
        case let .scalar(s): return s.protobufValue
        case let .sequence(items):
            return .list(items.enumerated().map { jsonValue($0.element, "\(path)[\($0.offset)]") })
        case let .mapping(pairs):
            var entries: [(String, Value)] = []
            for pair in pairs {
                guard let key = pair.key.scalar?.value else {
                    report(pair.key.mark, path, "mapping keys must be strings, got a \(pair.key.kindName)")
                    continue
                }
                entries.append((key, jsonValue(pair.value, Self.child(path, key))))
            }
            return .map(MapValue(stringKeyed: entries))
        }
    }

    func attributes(_ node: YAMLNode, _ path: String) -> MapValue {
        if Self.isNull(node) { return MapValue() }
        if node.mapping != nil, case let .map(m) = jsonValue(node, path) { return m }
        report(node.mark, path, "expected a mapping, got a \(node.kindName)")
        return MapValue()
    }
}
