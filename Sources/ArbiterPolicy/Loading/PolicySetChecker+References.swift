import ArbiterYAML

/// Compile-time checks that need only names: derived role references and variable/constant redefinitions.
extension PolicySetChecker {
    mutating func checkDerivedRoleReferences(_ policy: Policy, derivedRoles: [String: DerivedRoles]) {
        guard case let .resource(r) = policy.kind else { return }
        // Which imported sets define each derived role name.
        var definedIn: [String: [(set: String, mark: YAMLMark)]] = [:]
        for name in r.importDerivedRoles {
            guard let set = derivedRoles[name.value] else { continue }
            for def in set.definitions { definedIn[def.name.value, default: []].append((name.value, name.mark)) }
        }
        for (ruleIndex, rule) in r.rules.enumerated() {
            for (i, role) in rule.derivedRoles.enumerated() {
                let path = "resourcePolicy.rules[\(ruleIndex)].derivedRoles[\(i)]"
                let sources = definedIn[role.value] ?? []
                if sources.isEmpty {
                    diagnostics.append(Diagnostic(file: policy.file, line: role.mark.line, column: role.mark.column, path: path,
                                                  message: "unknown derived role: derived role \"\(role.value)\" is not defined in any imports",
                                                  stage: .compile))
                } else if sources.count > 1 {
                    let list = sources.map { "\"\($0.set)\" (imported at \($0.mark.line):\($0.mark.column))" }.joined(separator: ", ")
                    diagnostics.append(Diagnostic(file: policy.file, line: role.mark.line, column: role.mark.column, path: path,
                                                  message: "ambiguous derived role: derived role \"\(role.value)\" is defined in more than one import: \(list)",
                                                  stage: .compile))
                }
            }
        }
    }

    mutating func checkRedefinitions(_ policy: Policy, variables: [String: (set: ExportVariables, file: String)],
                                     constants: [String: (set: ExportConstants, file: String)]) {
        let base = policy.kindName
        var variableSources: [String: [(description: String, mark: YAMLMark, path: String)]] = [:]
        for name in policy.variablesBlock?.imports ?? [] {
            guard let (set, file) = variables[name.value] else { continue }
            for def in set.definitions {
                variableSources[def.name.value, default: []].append(
                    ("import '\(name.value)' (\(file):\(def.name.mark.line):\(def.name.mark.column))", name.mark, ""))
            }
        }
        for def in policy.variablesBlock?.local ?? [] {
            variableSources[def.name.value, default: []].append(
                ("policy local variables (\(policy.file):\(def.name.mark.line):\(def.name.mark.column))", def.name.mark, "\(base).variables.local.\(def.name.value)"))
        }
        for def in policy.topLevelVariables {
            variableSources[def.name.value, default: []].append(
                ("deprecated top-level policy variables (\(policy.file):\(def.name.mark.line):\(def.name.mark.column))", def.name.mark, "variables.\(def.name.value)"))
        }
        reportRedefinitions(policy, variableSources, what: "variable")

        var constantSources: [String: [(description: String, mark: YAMLMark, path: String)]] = [:]
        for name in policy.constantsBlock?.imports ?? [] {
            guard let (set, file) = constants[name.value] else { continue }
            for def in set.definitions {
                constantSources[def.name.value, default: []].append(
                    ("import '\(name.value)' (\(file):\(def.name.mark.line):\(def.name.mark.column))", name.mark, ""))
            }
        }
        for def in policy.constantsBlock?.local ?? [] {
            constantSources[def.name.value, default: []].append(
                ("policy local constants (\(policy.file):\(def.name.mark.line):\(def.name.mark.column))", def.name.mark, "\(base).constants.local.\(def.name.value)"))
        }
        reportRedefinitions(policy, constantSources, what: "constant")
    }

    private mutating func reportRedefinitions(_ policy: Policy, _ sources: [String: [(description: String, mark: YAMLMark, path: String)]], what: String) {
        for (name, list) in sources where list.count > 1 {
            // Point at a definition in this file when there is one, else at the import.
            let anchor = list.last { !$0.path.isEmpty } ?? list[0]
            let places = list.map(\.description).joined(separator: ", ")
            diagnostics.append(Diagnostic(file: policy.file, line: anchor.mark.line, column: anchor.mark.column, path: anchor.path,
                                          message: "\(what) redefined: \(what.prefix(1).uppercased() + what.dropFirst()) '\(name)' has multiple definitions in \(places)",
                                          stage: .compile))
        }
    }
}
