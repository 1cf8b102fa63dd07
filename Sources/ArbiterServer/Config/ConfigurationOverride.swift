import ArbiterYAML

/// One `arbiter serve --set key=value`, as Cerbos's `--set`: the dotted key of any setting the
/// configuration file accepts, and a value written as in YAML (`true`, `250ms`, `[1000, 1001]`).
/// Applied after the file, so it wins over it.
struct ConfigurationOverride {
    var key: String
    var value: YAMLNode

    /// Parses `key=value`; nil, with the problem in words appended to `issues`, when it cannot.
    static func parse(_ text: String, issues: inout [ConfigurationIssue]) -> ConfigurationOverride? {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            issues.append(ConfigurationIssue(key: "--set", message: "\"\(text)\" is not key=value"))
            return nil
        }
        let key = String(text[..<eq])
        let raw = String(text[text.index(after: eq)...])
        let parts = key.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.contains(where: \.isEmpty) else {
            issues.append(ConfigurationIssue(key: "--set", message: "\"\(key)\" is not a dotted key such as server.socket.mode"))
            return nil
        }
        let source = "--set \(key)"
        let parsed: [YAMLNode]
        do {
            parsed = try YAMLParser.parse(Array(raw.utf8), file: source)
        } catch {
            issues.append(ConfigurationIssue(key: key, location: source, message: "the value is not valid YAML: \(error.message)"))
            return nil
        }
        let mark = YAMLMark(line: 1, column: 1)
        let value = parsed.first ?? YAMLNode(kind: .scalar(YAMLScalar(value: "", contentStart: mark)), file: source, mark: mark)
        return ConfigurationOverride(key: key, value: value)
    }

    /// The override as a document `{a: {b: {c: value}}}` that the schema applies like a file.
    var document: YAMLNode {
        var node = value
        for part in key.split(separator: ".").reversed() {
            let keyNode = YAMLNode(kind: .scalar(YAMLScalar(value: String(part), contentStart: value.mark)), file: value.file, mark: value.mark)
            node = YAMLNode(kind: .mapping([YAMLPair(key: keyNode, value: node)]), file: value.file, mark: value.mark)
        }
        return node
    }
}
