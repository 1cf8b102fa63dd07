import ArbiterYAML

/// Derived roles and the two export kinds: named sets of definitions other policies import.
extension PolicyDecoder {
    func derivedRoles(_ node: YAMLNode, _ path: String) -> DerivedRoles? {
        var name: Located<String>?
        var definitions: [DerivedRoles.Definition] = []
        var variables: Variables?
        var constants: Constants?
        var keyMarks = KeyMarks()
        guard fields(node, path, { key, pair, childPath in
            keyMarks[key] = pair.key.mark
            switch key {
            case "name": name = self.string(pair.value, childPath)
            case "definitions": definitions = self.list(pair.value, childPath) { item, itemPath in self.roleDefinition(item, itemPath) }
            case "variables": variables = self.variables(pair.value, childPath)
            case "constants": constants = self.constants(pair.value, childPath)
            default: return false
            }
            return true
        }) else { return nil }
        checkSetName(name, keyMarks["name"] ?? node.mark, Self.child(path, "name"))
        if definitions.isEmpty, node.mapping != nil {
            violation(keyMarks["definitions"] ?? node.mark, Self.child(path, "definitions"), "value is required")
        }
        var firstByName: [String: (index: Int, mark: YAMLMark)] = [:]
        for (i, def) in definitions.enumerated() where !def.name.value.isEmpty {
            if let first = firstByName[def.name.value] {
                report(def.mark, def.path,
                       "duplicate derived role definition \"\(def.name.value)\": definition #\(i + 1) has the same name as definition #\(first.index + 1) at \(first.mark.line):\(first.mark.column)",
                       .validation)
            } else {
                firstByName[def.name.value] = (i, def.mark)
            }
        }
        return DerivedRoles(name: name ?? Located("", mark: node.mark), definitions: definitions, variables: variables,
                            constants: constants, mark: node.mark)
    }

    private func roleDefinition(_ node: YAMLNode, _ path: String) -> DerivedRoles.Definition? {
        var name: Located<String>?
        var parentRoles: [Located<String>] = []
        var condition: Condition?
        var keyMarks = KeyMarks()
        guard fields(node, path, { key, pair, childPath in
            keyMarks[key] = pair.key.mark
            switch key {
            case "name": name = self.string(pair.value, childPath)
            case "parentRoles":
                parentRoles = self.stringList(pair.value, childPath)
                self.checkItems(parentRoles, childPath, unique: true, minItems: 1, at: pair.key.mark)
            case "condition": condition = self.condition(pair.value, childPath, at: pair.key.mark)
            default: return false
            }
            return true
        }) else { return nil }
        let namePath = Self.child(path, "name")
        requireNonEmpty(name, keyMarks["name"] ?? node.mark, namePath)
        checkPattern(name.flatMap { $0.value.isEmpty ? nil : $0 }, namePath, NamePattern.importNamePattern, NamePattern.isImportName)
        if keyMarks["parentRoles"] == nil {
            violation(node.mark, Self.child(path, "parentRoles"), "value must contain at least 1 item(s)")
        }
        return DerivedRoles.Definition(name: name ?? Located("", mark: node.mark), parentRoles: parentRoles, condition: condition,
                                       mark: node.mark, path: path)
    }

    func exportVariables(_ node: YAMLNode, _ path: String) -> ExportVariables? {
        var name: Located<String>?
        var definitions: [VariableDefinition] = []
        var keyMarks = KeyMarks()
        guard fields(node, path, { key, pair, childPath in
            keyMarks[key] = pair.key.mark
            switch key {
            case "name": name = self.string(pair.value, childPath)
            case "definitions": definitions = self.variableMap(pair.value, childPath)
            default: return false
            }
            return true
        }) else { return nil }
        checkSetName(name, keyMarks["name"] ?? node.mark, Self.child(path, "name"))
        return ExportVariables(name: name ?? Located("", mark: node.mark), definitions: definitions, mark: node.mark)
    }

    func exportConstants(_ node: YAMLNode, _ path: String) -> ExportConstants? {
        var name: Located<String>?
        var definitions: [ConstantDefinition] = []
        var keyMarks = KeyMarks()
        guard fields(node, path, { key, pair, childPath in
            keyMarks[key] = pair.key.mark
            switch key {
            case "name": name = self.string(pair.value, childPath)
            case "definitions": definitions = self.constantMap(pair.value, childPath)
            default: return false
            }
            return true
        }) else { return nil }
        checkSetName(name, keyMarks["name"] ?? node.mark, Self.child(path, "name"))
        return ExportConstants(name: name ?? Located("", mark: node.mark), definitions: definitions, mark: node.mark)
    }

    private func checkSetName(_ name: Located<String>?, _ mark: YAMLMark, _ path: String) {
        requireNonEmpty(name, mark, path)
        checkPattern(name.flatMap { $0.value.isEmpty ? nil : $0 }, path, NamePattern.importNamePattern, NamePattern.isImportName)
    }
}
