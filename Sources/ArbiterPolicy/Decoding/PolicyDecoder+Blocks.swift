import ArbiterYAML
import CEL

/// Blocks shared by several policy kinds: conditions, outputs, variables, constants, schemas, metadata.
extension PolicyDecoder {
    /// `keyMark` is where the `condition:` key is, which is where Cerbos points its messages.
    func condition(_ node: YAMLNode, _ path: String, at keyMark: YAMLMark) -> Condition? {
        var match: Match?
        var script: Located<String>?
        var count = 0
        let ok = fields(node, path) { key, pair, childPath in
            switch key {
            case "match": count += 1; match = self.match(pair.value, childPath)
            case "script": count += 1; script = self.string(pair.value, childPath) ?? Located("", mark: pair.value.mark)
            default: return false
            }
            return true
        }
        guard ok else { return nil }
        if count != 1 {
            violation(keyMark, path, "exactly one of match or script is required")
            return nil
        }
        if let script {
            report(keyMark, path, "scripts in conditions are no longer supported", .compile)
            return Condition(kind: .script(script), mark: node.mark, path: path)
        }
        guard let match else { return nil }
        return Condition(kind: .match(match), mark: node.mark, path: path)
    }

    func match(_ node: YAMLNode, _ path: String) -> Match? {
        var kinds: [Match.Kind] = []
        let ok = fields(node, path) { key, pair, childPath in
            switch key {
            case "expr":
                if let e = self.expression(pair.value, childPath) {
                    kinds.append(.expr(e))
                } else {
                    self.violation(pair.key.mark, childPath, "value is required")
                    kinds.append(.all([]))
                }
            case "all": kinds.append(.all(self.matchList(pair.value, childPath)))
            case "any": kinds.append(.any(self.matchList(pair.value, childPath)))
            case "none": kinds.append(.none(self.matchList(pair.value, childPath)))
            default: return false
            }
            return true
        }
        guard ok else { return nil }
        guard kinds.count == 1 else {
            violation(node.mark, path, "exactly one of expr, all, any or none is required")
            return nil
        }
        return Match(kind: kinds[0], mark: node.mark)
    }

    private func matchList(_ node: YAMLNode, _ path: String) -> [Match] {
        var items: [Match] = []
        var sawOf = false
        fields(node, path) { key, pair, childPath in
            guard key == "of" else { return false }
            sawOf = true
            items = self.list(pair.value, childPath) { item, itemPath in self.match(item, itemPath) }
            if items.isEmpty, pair.value.sequence?.isEmpty ?? true {
                self.violation(pair.value.mark, childPath, "value must contain at least 1 item(s)")
            }
            return true
        }
        if !sawOf { violation(node.mark, Self.child(path, "of"), "value must contain at least 1 item(s)") }
        return items
    }

    func output(_ node: YAMLNode, _ path: String, at keyMark: YAMLMark) -> RuleOutput? {
        var ruleActivated: CELExpression?
        var conditionNotMet: CELExpression?
        var expr: CELExpression?
        var hasWhen = false
        guard fields(node, path, { key, pair, childPath in
            switch key {
            case "expr": expr = self.expression(pair.value, childPath)
            case "when":
                hasWhen = true
                self.fields(pair.value, childPath) { whenKey, whenPair, whenPath in
                    switch whenKey {
                    case "ruleActivated": ruleActivated = self.expression(whenPair.value, whenPath)
                    case "conditionNotMet": conditionNotMet = self.expression(whenPair.value, whenPath)
                    default: return false
                    }
                    return true
                }
            default: return false
            }
            return true
        }) else { return nil }
        let output = RuleOutput(ruleActivated: ruleActivated, conditionNotMet: conditionNotMet, expr: expr, hasWhen: hasWhen, mark: node.mark, path: path)
        if output.isEmpty {
            report(keyMark, path, "empty output: output must have at least one expression", .compile)
        }
        return output
    }

    func variableMap(_ node: YAMLNode, _ path: String, kind: String = "variable") -> [VariableDefinition] {
        var result: [VariableDefinition] = []
        fields(node, path) { key, pair, childPath in
            let name = Located(key, mark: pair.key.mark)
            self.checkIdentifier(name, childPath, kind: kind)
            if let e = self.expression(pair.value, childPath) {
                result.append(VariableDefinition(name: name, expression: e))
            } else {
                self.violation(pair.value.mark, childPath, "value is required")
            }
            return true
        }
        return result
    }

    func constantMap(_ node: YAMLNode, _ path: String) -> [ConstantDefinition] {
        var result: [ConstantDefinition] = []
        fields(node, path) { key, pair, childPath in
            let name = Located(key, mark: pair.key.mark)
            self.checkIdentifier(name, childPath, kind: "constant")
            result.append(ConstantDefinition(name: name, value: self.jsonValue(pair.value, childPath), valueMark: pair.value.mark))
            return true
        }
        return result
    }

    func variables(_ node: YAMLNode, _ path: String) -> Variables {
        var block = Variables(mark: node.mark)
        fields(node, path) { key, pair, childPath in
            switch key {
            case "import":
                block.imports = self.stringList(pair.value, childPath)
                self.checkItems(block.imports, childPath, unique: true, minItems: 0, at: pair.key.mark,
                                pattern: NamePattern.importNamePattern, NamePattern.isImportName)
            case "local": block.local = self.variableMap(pair.value, childPath)
            default: return false
            }
            return true
        }
        return block
    }

    func constants(_ node: YAMLNode, _ path: String) -> Constants {
        var block = Constants(mark: node.mark)
        fields(node, path) { key, pair, childPath in
            switch key {
            case "import":
                block.imports = self.stringList(pair.value, childPath)
                self.checkItems(block.imports, childPath, unique: true, minItems: 0, at: pair.key.mark,
                                pattern: NamePattern.importNamePattern, NamePattern.isImportName)
            case "local": block.local = self.constantMap(pair.value, childPath)
            default: return false
            }
            return true
        }
        return block
    }

    func schemas(_ node: YAMLNode, _ path: String) -> Schemas {
        var principal: Schemas.Reference?
        var resource: Schemas.Reference?
        fields(node, path) { key, pair, childPath in
            switch key {
            case "principalSchema": principal = self.schemaReference(pair.value, childPath)
            case "resourceSchema": resource = self.schemaReference(pair.value, childPath)
            default: return false
            }
            return true
        }
        return Schemas(principalSchema: principal, resourceSchema: resource)
    }

    private func schemaReference(_ node: YAMLNode, _ path: String) -> Schemas.Reference? {
        if let s = node.scalar, s.resolved == .null { return nil }
        var ref: Located<String>?
        var refKeyMark: YAMLMark?
        var ignore: [Located<String>]?
        guard fields(node, path, { key, pair, childPath in
            switch key {
            case "ref": ref = self.string(pair.value, childPath); refKeyMark = pair.key.mark
            case "ignoreWhen":
                self.fields(pair.value, childPath) { k, p, cp in
                    guard k == "actions" else { return false }
                    let actions = self.stringList(p.value, cp)
                    self.checkItems(actions, cp, unique: true, minItems: 1, at: p.key.mark)
                    ignore = actions
                    return true
                }
                if ignore == nil { ignore = [] }
            default: return false
            }
            return true
        }) else { return nil }
        let refPath = Self.child(path, "ref")
        if ref == nil || ref!.value.isEmpty {
            violation(refKeyMark ?? node.mark, refPath, "value is required")
        }
        return Schemas.Reference(ref: ref ?? Located("", mark: node.mark), ignoreWhenActions: ignore)
    }

    func metadata(_ node: YAMLNode, _ path: String) -> PolicyMetadata {
        var meta = PolicyMetadata()
        fields(node, path) { key, pair, childPath in
            switch key {
            case "sourceFile": meta.sourceFile = self.string(pair.value, childPath)?.value
            case "hash": meta.hash = self.string(pair.value, childPath)?.value
            case "storeIdentifier": meta.storeIdentifier = self.string(pair.value, childPath)?.value
            case "storeIdentifer":
                meta.storeIdentifier = meta.storeIdentifier ?? self.string(pair.value, childPath)?.value
                meta.usedMisspelledStoreIdentifier = true
            case "annotations":
                self.fields(pair.value, childPath) { k, p, cp in
                    meta.annotations.append((k, self.string(p.value, cp)?.value ?? ""))
                    return true
                }
            case "sourceAttributes":
                self.fields(pair.value, childPath) { k, p, cp in
                    guard k == "attributes" else { return false }
                    self.fields(p.value, cp) { name, attr, attrPath in
                        meta.sourceAttributes.append((name, self.jsonValue(attr.value, attrPath)))
                        return true
                    }
                    return true
                }
            default: return false
            }
            return true
        }
        return meta
    }
}
