import ArbiterYAML

extension PolicyDecoder {
    func principalPolicy(_ node: YAMLNode, _ path: String) -> PrincipalPolicy? {
        var principal: Located<String>?
        var version: Located<String>?
        var scope: Located<String>?
        var scopePermissions: Located<ScopePermissions>?
        var variables: Variables?
        var constants: Constants?
        var rules: [PrincipalPolicy.Rule] = []
        var keyMarks = KeyMarks()
        guard fields(node, path, { key, pair, childPath in
            keyMarks[key] = pair.key.mark
            switch key {
            case "principal": principal = self.string(pair.value, childPath)
            case "version": version = self.string(pair.value, childPath)
            case "scope": scope = self.string(pair.value, childPath)
            case "scopePermissions": scopePermissions = self.enumValue(pair.value, childPath, ScopePermissions.self)
            case "variables": variables = self.variables(pair.value, childPath)
            case "constants": constants = self.constants(pair.value, childPath)
            case "rules": rules = self.list(pair.value, childPath) { item, itemPath in self.principalRule(item, itemPath) }
            default: return false
            }
            return true
        }) else { return nil }

        let principalPath = Self.child(path, "principal")
        requireNonEmpty(principal, keyMarks["principal"] ?? node.mark, principalPath)
        checkPattern(principal.flatMap { $0.value.isEmpty ? nil : $0 }, principalPath, NamePattern.resourcePattern, NamePattern.isResourceName)
        let versionPath = Self.child(path, "version")
        requireNonEmpty(version, keyMarks["version"] ?? node.mark, versionPath)
        checkPattern(version.flatMap { $0.value.isEmpty ? nil : $0 }, versionPath, NamePattern.versionPattern, NamePattern.isVersion)
        if let scope, !NamePattern.isScope(scope.value) {
            violation(keyMarks["scope"] ?? scope.mark, Self.child(path, "scope"), "does not match regex pattern `\(NamePattern.scopePattern)`")
        }
        var firstByResource: [String: Int] = [:]
        for (i, rule) in rules.enumerated() {
            if let first = firstByResource[rule.resource.value] {
                report(rule.mark, rule.path,
                       "duplicate resource rule \"\(rule.resource.value)\": rule #\(i + 1) is for the same resource as rule #\(first + 1)", .validation)
            } else {
                firstByResource[rule.resource.value] = i
            }
        }
        return PrincipalPolicy(principal: principal ?? Located("", mark: node.mark), version: version ?? Located("", mark: node.mark),
                               scope: scope, scopePermissions: scopePermissions, variables: variables, constants: constants,
                               rules: rules, mark: node.mark)
    }

    private func principalRule(_ node: YAMLNode, _ path: String) -> PrincipalPolicy.Rule? {
        var resource: Located<String>?
        var actions: [PrincipalPolicy.Rule.Action] = []
        var keyMarks = KeyMarks()
        guard fields(node, path, { key, pair, childPath in
            keyMarks[key] = pair.key.mark
            switch key {
            case "resource": resource = self.string(pair.value, childPath)
            case "actions": actions = self.list(pair.value, childPath) { item, itemPath in self.principalAction(item, itemPath) }
            default: return false
            }
            return true
        }) else { return nil }
        requireNonEmpty(resource, keyMarks["resource"] ?? node.mark, Self.child(path, "resource"))
        if actions.isEmpty, node.mapping != nil {
            violation(keyMarks["actions"] ?? node.mark, Self.child(path, "actions"), "value must contain at least 1 item(s)")
        }
        let resourceName = resource?.value ?? ""
        var firstByName: [String: YAMLMark] = [:]
        var firstIndex: [String: Int] = [:]
        for (i, action) in actions.enumerated() {
            guard let name = action.name?.value, !name.isEmpty else { continue }
            if let mark = firstByName[name] {
                report(action.mark, action.path,
                       "duplicate action rule name \"\(name)\": action rule #\(i + 1) for resource \"\(resourceName)\" has the same name as action rule #\(firstIndex[name]! + 1) defined at \(mark.line):\(mark.column)",
                       .validation)
            } else {
                firstByName[name] = action.mark
                firstIndex[name] = i
            }
        }
        return PrincipalPolicy.Rule(resource: resource ?? Located("", mark: node.mark), actions: actions, mark: node.mark, path: path)
    }

    private func principalAction(_ node: YAMLNode, _ path: String) -> PrincipalPolicy.Rule.Action? {
        var action: Located<String>?
        var effect: Located<Effect>?
        var condition: Condition?
        var name: Located<String>?
        var output: RuleOutput?
        var keyMarks = KeyMarks()
        guard fields(node, path, { key, pair, childPath in
            keyMarks[key] = pair.key.mark
            switch key {
            case "action": action = self.string(pair.value, childPath)
            case "effect": effect = self.effect(pair.value, childPath)
            case "condition": condition = self.condition(pair.value, childPath, at: pair.key.mark)
            case "name": name = self.string(pair.value, childPath)
            case "output": output = self.output(pair.value, childPath, at: pair.key.mark)
            default: return false
            }
            return true
        }) else { return nil }
        requireNonEmpty(action, keyMarks["action"] ?? node.mark, Self.child(path, "action"))
        if effect == nil, keyMarks["effect"] == nil { violation(node.mark, Self.child(path, "effect"), "value is required") }
        checkRuleName(name, Self.child(path, "name"))
        return PrincipalPolicy.Rule.Action(action: action ?? Located("", mark: node.mark), effect: effect?.value ?? .deny,
                                           condition: condition, name: name, output: output, mark: node.mark, path: path)
    }
}
