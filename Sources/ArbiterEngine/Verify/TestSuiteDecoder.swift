import ArbiterPolicy
import ArbiterYAML
import CEL

/// Decodes test suites and fixture files from YAML (or JSON) nodes, collecting positioned
/// diagnostics the way the policy decoder does: unknown fields, wrong types, missing values.
public final class TestSuiteDecoder {
    /// The file being decoded, as it appears in diagnostics.
    public let file: String
    /// Problems found so far, in the order they were met.
    public internal(set) var diagnostics: [Diagnostic] = []

    /// Creates a decoder for `file`.
    public init(file: String) {
        self.file = file
    }

    /// Decodes a suite file; the suite is nil when any diagnostic was produced.
    public static func decodeSuite(_ bytes: [UInt8], file: String) -> (suite: TestSuite?, diagnostics: [Diagnostic]) {
        let decoder = TestSuiteDecoder(file: file)
        guard let root = decoder.document(bytes) else { return (nil, decoder.diagnostics) }
        let suite = decoder.suite(root)
        return (decoder.diagnostics.isEmpty ? suite : nil, decoder.diagnostics)
    }

    /// Decodes one test (a `tests:` entry) from a node; the test is nil when any diagnostic was produced.
    public static func decodeTable(_ node: YAMLNode, file: String) -> (table: TestTable?, diagnostics: [Diagnostic]) {
        let decoder = TestSuiteDecoder(file: file)
        let table = decoder.table(node, "")
        return (decoder.diagnostics.isEmpty ? table : nil, decoder.diagnostics)
    }

    /// Parses the single document of a file, reporting YAML errors and empty or multi-document files.
    func document(_ bytes: [UInt8]) -> YAMLNode? {
        let documents: [YAMLNode]
        do {
            documents = try YAMLParser.parse(bytes, file: file)
        } catch {
            report(error.mark, "", error.message)
            return nil
        }
        guard let first = documents.first else {
            report(YAMLMark(line: 1, column: 1), "", "invalid document: the file is empty")
            return nil
        }
        if documents.count > 1 {
            report(documents[1].mark, "", "more than one YAML document detected")
            return nil
        }
        guard first.mapping != nil else {
            report(first.mark, "", "invalid document: expected a mapping, got a \(first.kindName)")
            return nil
        }
        return first
    }

    func suite(_ node: YAMLNode) -> TestSuite {
        var suite = TestSuite(file: file)
        var sawTests = false
        fields(node, "") { key, pair, path in
            switch key {
            case "name": suite.name = self.string(pair.value, path) ?? ""
            case "description": suite.description = self.string(pair.value, path) ?? ""
            case "skip": suite.skip = self.bool(pair.value, path) ?? false
            case "skipReason": suite.skipReason = self.string(pair.value, path) ?? ""
            case "principals": suite.principals = self.namedMap(pair.value, path, self.principal)
            case "resources": suite.resources = self.namedMap(pair.value, path, self.resource)
            case "auxData": suite.auxData = self.namedMap(pair.value, path, self.auxData)
            case "principalGroups": suite.principalGroups = self.groups(pair.value, path, member: "principals")
            case "resourceGroups": suite.resourceGroups = self.groups(pair.value, path, member: "resources")
            case "options": suite.options = self.options(pair.value, path)
            case "tests":
                sawTests = true
                suite.tests = self.list(pair.value, path, self.table)
                if suite.tests.isEmpty && pair.value.sequence != nil { self.report(pair.value.mark, path, "value is required") }
            case "$schema": break
            default: return false
            }
            return true
        }
        if suite.name.isEmpty { report(node.mark, "name", "value is required") }
        if !sawTests { report(node.mark, "tests", "value is required") }
        return suite
    }

    func table(_ node: YAMLNode, _ path: String) -> TestTable? {
        var table = TestTable(name: "")
        var sawInput = false
        fields(node, path) { key, pair, path in
            switch key {
            case "name": table.name = self.string(pair.value, path) ?? ""
            case "description": table.description = self.string(pair.value, path) ?? ""
            case "skip": table.skip = self.bool(pair.value, path) ?? false
            case "skipReason": table.skipReason = self.string(pair.value, path) ?? ""
            case "input":
                sawInput = true
                table.input = self.input(pair.value, path)
            case "expected": table.expected = self.list(pair.value, path, self.expectation)
            case "options": table.options = self.options(pair.value, path)
            default: return false
            }
            return true
        }
        if table.name.isEmpty { report(node.mark, Self.child(path, "name"), "value is required") }
        if !sawInput { report(node.mark, Self.child(path, "input"), "value is required") }
        return table
    }

    func input(_ node: YAMLNode, _ path: String) -> TestTable.Input {
        var input = TestTable.Input()
        fields(node, path) { key, pair, path in
            switch key {
            case "principals": input.principals = self.strings(pair.value, path)
            case "principalGroups": input.principalGroups = self.strings(pair.value, path)
            case "resources": input.resources = self.strings(pair.value, path)
            case "resourceGroups": input.resourceGroups = self.strings(pair.value, path)
            case "actions": input.actions = self.strings(pair.value, path)
            case "auxData": input.auxData = self.string(pair.value, path) ?? ""
            default: return false
            }
            return true
        }
        if input.principals.isEmpty && input.principalGroups.isEmpty {
            report(node.mark, path, "principals or principalGroups must be present")
        }
        if input.resources.isEmpty && input.resourceGroups.isEmpty {
            report(node.mark, path, "resources or resourceGroups must be present")
        }
        if input.actions.isEmpty { report(node.mark, Self.child(path, "actions"), "value is required") }
        return input
    }

    func expectation(_ node: YAMLNode, _ path: String) -> TestTable.Expectation? {
        var out = TestTable.Expectation()
        var single: (principal: Bool, resource: Bool) = (false, false)
        var many: (principal: Bool, resource: Bool) = (false, false)
        fields(node, path) { key, pair, path in
            switch key {
            case "principal":
                single.principal = true
                if let name = self.string(pair.value, path) { out.principals.append(name) }
            case "principals":
                many.principal = true
                out.principals += self.strings(pair.value, path)
            case "principalGroups": out.principalGroups = self.strings(pair.value, path)
            case "resource":
                single.resource = true
                if let name = self.string(pair.value, path) { out.resources.append(name) }
            case "resources":
                many.resource = true
                out.resources += self.strings(pair.value, path)
            case "resourceGroups": out.resourceGroups = self.strings(pair.value, path)
            case "actions": out.actions = self.effects(pair.value, path)
            case "outputs": out.outputs = self.list(pair.value, path, self.outputExpectation)
            default: return false
            }
            return true
        }
        if single.principal && many.principal {
            report(node.mark, path, "principal and principals may not both be present")
        } else if out.principals.isEmpty && out.principalGroups.isEmpty {
            report(node.mark, path, "principal, principals, or principalGroups must be present")
        }
        if single.resource && many.resource {
            report(node.mark, path, "resource and resources may not both be present")
        } else if out.resources.isEmpty && out.resourceGroups.isEmpty {
            report(node.mark, path, "resource, resources, or resourceGroups must be present")
        }
        return out
    }

    func effects(_ node: YAMLNode, _ path: String) -> [(action: String, effect: Effect)] {
        var out: [(action: String, effect: Effect)] = []
        fields(node, path, anyKey: true) { key, pair, _ in
            let childPath = path + "[\"\(key)\"]"
            guard let text = self.string(pair.value, childPath) else { return true }
            if let effect = Effect(rawValue: text) {
                out.append((key, effect))
            } else {
                self.report(pair.value.mark, childPath, "must be one of [EFFECT_ALLOW, EFFECT_DENY]")
            }
            return true
        }
        return out
    }

    func outputExpectation(_ node: YAMLNode, _ path: String) -> (action: String, expected: [TestTable.ExpectedOutput])? {
        var action = ""
        var expected: [TestTable.ExpectedOutput] = []
        fields(node, path) { key, pair, path in
            switch key {
            case "action": action = self.string(pair.value, path) ?? ""
            case "expected":
                expected = self.list(pair.value, path) { node, path in
                    var src = ""
                    var value: Value?
                    self.fields(node, path) { key, pair, path in
                        switch key {
                        case "src": src = self.string(pair.value, path) ?? ""
                        case "val": value = self.jsonValue(pair.value, path)
                        default: return false
                        }
                        return true
                    }
                    if src.isEmpty { self.report(node.mark, Self.child(path, "src"), "value is required") }
                    return TestTable.ExpectedOutput(src: src, value: value ?? .null)
                }
            default: return false
            }
            return true
        }
        if action.isEmpty { report(node.mark, Self.child(path, "action"), "value is required") }
        if expected.isEmpty { report(node.mark, Self.child(path, "expected"), "value is required") }
        return (action, expected)
    }

    func options(_ node: YAMLNode, _ path: String) -> TestOptions {
        var options = TestOptions()
        fields(node, path) { key, pair, path in
            switch key {
            case "now":
                guard let text = self.string(pair.value, path) else { return true }
                if let t = Timestamp(rfc3339: text) {
                    options.now = t
                } else {
                    self.report(pair.value.mark, path, "invalid timestamp value \"\(text)\": expected an RFC 3339 timestamp")
                }
            case "defaultPolicyVersion": options.defaultPolicyVersion = self.string(pair.value, path)
            case "defaultScope": options.defaultScope = self.string(pair.value, path)
            case "lenientScopeSearch": options.lenientScopeSearch = self.bool(pair.value, path)
            case "strictEvaluation": options.strictEvaluation = self.bool(pair.value, path)
            case "globals":
                if case let .map(m) = self.jsonValue(pair.value, path), pair.value.mapping != nil {
                    options.globals = m
                } else {
                    self.report(pair.value.mark, path, "expected a mapping, got a \(pair.value.kindName)")
                }
            default: return false
            }
            return true
        }
        return options
    }
}
