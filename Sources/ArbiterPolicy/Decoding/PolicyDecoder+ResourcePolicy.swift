import ArbiterYAML

extension PolicyDecoder {
    func resourcePolicy(_ node: YAMLNode, _ path: String) -> ResourcePolicy? {
        var resource: Located<String>?
        var version: Located<String>?
        var scope: Located<String>?
        var scopePermissions: Located<ScopePermissions>?
        var imports: [Located<String>] = []
        var variables: Variables?
        var constants: Constants?
        var schemas: Schemas?
        var rules: [ResourcePolicy.Rule] = []
        var keyMarks = KeyMarks()
        guard fields(node, path, { key, pair, childPath in
            keyMarks[key] = pair.key.mark
            switch key {
            case "resource": resource = self.string(pair.value, childPath)
            case "version": version = self.string(pair.value, childPath)
            case "scope": scope = self.string(pair.value, childPath)
            case "scopePermissions": scopePermissions = self.enumValue(pair.value, childPath, ScopePermissions.self)
            case "importDerivedRoles":
                imports = self.stringList(pair.value, childPath)
                self.checkItems(imports, childPath, unique: true, minItems: 0, at: pair.key.mark,
                                pattern: NamePattern.importNamePattern, NamePattern.isImportName)
            case "variables": variables = self.variables(pair.value, childPath)
            case "constants": constants = self.constants(pair.value, childPath)
            case "schemas": schemas = self.schemas(pair.value, childPath)
            case "rules":
                rules = self.list(pair.value, childPath) { item, itemPath in self.resourceRule(item, itemPath) }
            default: return false
            }
            return true
        }) else { return nil }

        let resourcePath = Self.child(path, "resource")
        requireNonEmpty(resource, keyMarks["resource"] ?? node.mark, resourcePath)
        checkPattern(resource.flatMap { $0.value.isEmpty ? nil : $0 }, resourcePath, NamePattern.resourcePattern, NamePattern.isResourceName)
        let versionPath = Self.child(path, "version")
        requireNonEmpty(version, keyMarks["version"] ?? node.mark, versionPath)
        checkPattern(version.flatMap { $0.value.isEmpty ? nil : $0 }, versionPath, NamePattern.versionPattern, NamePattern.isVersion)
        if let scope, !NamePattern.isScope(scope.value) {
            violation(keyMarks["scope"] ?? scope.mark, Self.child(path, "scope"), "does not match regex pattern `\(NamePattern.scopePattern)`")
        }
        checkRuleNames(rules.map { ($0.name, $0.mark) }, path)

        return ResourcePolicy(resource: resource ?? Located("", mark: node.mark), version: version ?? Located("", mark: node.mark),
                              scope: scope, scopePermissions: scopePermissions, importDerivedRoles: imports,
                              variables: variables, constants: constants, schemas: schemas, rules: rules, mark: node.mark)
    }

    private func resourceRule(_ node: YAMLNode, _ path: String) -> ResourcePolicy.Rule? {
        var name: Located<String>?
        var actions: [Located<String>] = []
        var roles: [Located<String>] = []
        var derivedRoles: [Located<String>] = []
        var condition: Condition?
        var effect: Located<Effect>?
        var output: RuleOutput?
        var keyMarks = KeyMarks()
        guard fields(node, path, { key, pair, childPath in
            keyMarks[key] = pair.key.mark
            switch key {
            case "name": name = self.string(pair.value, childPath)
            case "actions":
                actions = self.stringList(pair.value, childPath)
                self.checkItems(actions, childPath, unique: true, minItems: 1, at: pair.key.mark)
            case "roles":
                roles = self.stringList(pair.value, childPath)
                self.checkItems(roles, childPath, unique: true, minItems: 0, at: pair.key.mark)
            case "derivedRoles":
                derivedRoles = self.stringList(pair.value, childPath)
                self.checkItems(derivedRoles, childPath, unique: true, minItems: 0, at: pair.key.mark,
                                pattern: NamePattern.importNamePattern, NamePattern.isImportName)
            case "condition": condition = self.condition(pair.value, childPath, at: pair.key.mark)
            case "effect": effect = self.effect(pair.value, childPath)
            case "output": output = self.output(pair.value, childPath, at: pair.key.mark)
            default: return false
            }
            return true
        }) else { return nil }
        if keyMarks["actions"] == nil { violation(node.mark, Self.child(path, "actions"), "value must contain at least 1 item(s)") }
        if effect == nil, keyMarks["effect"] == nil { violation(node.mark, Self.child(path, "effect"), "value is required") }
        checkRuleName(name, Self.child(path, "name"))
        if roles.isEmpty && derivedRoles.isEmpty {
            report(node.mark, path, "invalid resource rule: rule does not specify any roles or derived roles to be matched", .validation)
        }
        return ResourcePolicy.Rule(name: name, actions: actions, roles: roles, derivedRoles: derivedRoles, condition: condition,
                                   effect: effect?.value ?? .deny, output: output, mark: node.mark, path: path)
    }

    /// An effect; a null or unknown one is reported here so callers only check for a missing key.
    func effect(_ node: YAMLNode, _ path: String) -> Located<Effect>? {
        let before = diagnostics.count
        let value = enumValue(node, path, Effect.self)
        if value == nil, diagnostics.count == before { violation(node.mark, path, "value is required") }
        return value
    }

    func checkRuleName(_ name: Located<String>?, _ path: String) {
        checkPattern(name, path, NamePattern.ruleNamePattern, NamePattern.isRuleName)
    }

    /// Named rules must be unique; unnamed ones get distinct default names.
    func checkRuleNames(_ rules: [(name: Located<String>?, mark: YAMLMark)], _ path: String, what: String = "rule") {
        var firstByName: [String: (index: Int, mark: YAMLMark)] = [:]
        for (i, rule) in rules.enumerated() {
            guard let name = rule.name?.value, !name.isEmpty else { continue }
            if let first = firstByName[name] {
                report(rule.mark, Self.index(Self.child(path, "rules"), i),
                       "duplicate \(what) name \"\(name)\": \(what) #\(i + 1) has the same name as \(what) #\(first.index + 1) defined at \(first.mark.line):\(first.mark.column)",
                       .validation)
            } else {
                firstByName[name] = (i, rule.mark)
            }
        }
    }
}
