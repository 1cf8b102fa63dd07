import ArbiterYAML

extension PolicyDecoder {
    func rolePolicy(_ node: YAMLNode, _ path: String) -> RolePolicy? {
        var role: Located<String>?
        var version: Located<String>?
        var scope: Located<String>?
        var parentRoles: [Located<String>] = []
        var scopePermissions: Located<ScopePermissions>?
        var variables: Variables?
        var constants: Constants?
        var rules: [RolePolicy.Rule] = []
        var keyMarks = KeyMarks()
        guard fields(node, path, { key, pair, childPath in
            keyMarks[key] = pair.key.mark
            switch key {
            case "role": role = self.string(pair.value, childPath)
            case "version": version = self.string(pair.value, childPath)
            case "scope": scope = self.string(pair.value, childPath)
            case "parentRoles":
                parentRoles = self.stringList(pair.value, childPath)
                self.checkItems(parentRoles, childPath, unique: true, minItems: 0, at: pair.key.mark)
            case "scopePermissions": scopePermissions = self.enumValue(pair.value, childPath, ScopePermissions.self)
            case "variables": variables = self.variables(pair.value, childPath)
            case "constants": constants = self.constants(pair.value, childPath)
            case "rules": rules = self.list(pair.value, childPath) { item, itemPath in self.roleRule(item, itemPath) }
            default: return false
            }
            return true
        }) else { return nil }

        let rolePath = Self.child(path, "role")
        requireNonEmpty(role, keyMarks["role"] ?? node.mark, rolePath)
        checkPattern(role.flatMap { $0.value.isEmpty ? nil : $0 }, rolePath, NamePattern.resourcePattern, NamePattern.isResourceName)
        if let version, !version.value.isEmpty {
            checkPattern(version, Self.child(path, "version"), NamePattern.versionPattern, NamePattern.isVersion)
        }
        if let scope, !NamePattern.isScope(scope.value) {
            violation(keyMarks["scope"] ?? scope.mark, Self.child(path, "scope"), "does not match regex pattern `\(NamePattern.scopePattern)`")
        }
        if let sp = scopePermissions, sp.value == .overrideParent {
            violation(sp.mark, Self.child(path, "scopePermissions"),
                      "role policies only support SCOPE_PERMISSIONS_REQUIRE_PARENTAL_CONSENT_FOR_ALLOWS")
        }
        if rules.isEmpty, node.mapping != nil {
            violation(keyMarks["rules"] ?? node.mark, Self.child(path, "rules"), "value must contain at least 1 item(s)")
        }
        checkRuleNames(rules.map { ($0.name, $0.mark) }, path)
        return RolePolicy(role: role ?? Located("", mark: node.mark), version: version, scope: scope, parentRoles: parentRoles,
                          scopePermissions: scopePermissions, variables: variables, constants: constants, rules: rules, mark: node.mark)
    }

    private func roleRule(_ node: YAMLNode, _ path: String) -> RolePolicy.Rule? {
        var resource: Located<String>?
        var allowActions: [Located<String>] = []
        var condition: Condition?
        var name: Located<String>?
        var output: RuleOutput?
        var keyMarks = KeyMarks()
        guard fields(node, path, { key, pair, childPath in
            keyMarks[key] = pair.key.mark
            switch key {
            case "resource": resource = self.string(pair.value, childPath)
            case "allowActions":
                allowActions = self.stringList(pair.value, childPath)
                self.checkItems(allowActions, childPath, unique: true, minItems: 1, at: pair.key.mark)
            case "condition": condition = self.condition(pair.value, childPath, at: pair.key.mark)
            case "name": name = self.string(pair.value, childPath)
            case "output": output = self.output(pair.value, childPath, at: pair.key.mark)
            default: return false
            }
            return true
        }) else { return nil }
        requireNonEmpty(resource, keyMarks["resource"] ?? node.mark, Self.child(path, "resource"))
        if keyMarks["allowActions"] == nil {
            violation(node.mark, Self.child(path, "allowActions"), "value must contain at least 1 item(s)")
        }
        checkRuleName(name, Self.child(path, "name"))
        return RolePolicy.Rule(resource: resource ?? Located("", mark: node.mark), allowActions: allowActions, condition: condition,
                               name: name, output: output, mark: node.mark, path: path)
    }
}
