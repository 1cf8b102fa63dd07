import ArbiterYAML

/// Undefined variable and constant references and cyclic variable definitions, found from the names an
/// expression mentions (`V.x`, `variables.x`, `C.x`, `constants.x`); type errors are the CEL step's job.
extension PolicySetChecker {
    mutating func checkVariableReferences(_ policy: Policy, variables: [String: (set: ExportVariables, file: String)],
                                          constants: [String: (set: ExportConstants, file: String)]) {
        switch policy.kind {
        case .resource, .principal, .role, .derivedRoles: break
        case .exportVariables, .exportConstants: return
        }
        // The merged definitions Cerbos compiles together: imports, then deprecated top-level and local ones.
        var order: [String] = []
        var definitions: [String: (expression: CELExpression, local: Bool)] = [:]
        for name in policy.variablesBlock?.imports ?? [] {
            for def in variables[name.value]?.set.definitions ?? [] where definitions[def.name.value] == nil {
                definitions[def.name.value] = (def.expression, false)
                order.append(def.name.value)
            }
        }
        for def in policy.effectiveLocalVariables {
            if definitions[def.name.value] == nil { order.append(def.name.value) }
            definitions[def.name.value] = (def.expression, true)
        }
        var constantNames = Set((policy.constantsBlock?.local ?? []).map(\.name.value))
        for name in policy.constantsBlock?.imports ?? [] {
            for def in constants[name.value]?.set.definitions ?? [] { constantNames.insert(def.name.value) }
        }

        var edges: [String: [String]] = [:]
        for name in order {
            guard let def = definitions[name] else { continue }
            for ref in ExpressionReferenceScanner.references(in: def.expression.text) {
                switch ref.namespace {
                case .variables:
                    if definitions[ref.name] != nil {
                        edges[name, default: []].append(ref.name)
                    } else if def.local {
                        undefined(policy, def.expression, ref, "undefined variable: Undefined variable '\(ref.name)' referenced in variable '\(name)'")
                    }
                case .constants:
                    if !constantNames.contains(ref.name), def.local {
                        undefined(policy, def.expression, ref, "undefined constant: Undefined constant '\(ref.name)' referenced in variable '\(name)'")
                    }
                }
            }
        }
        for (role, expression) in policy.expressions {
            if case .variable = role { continue }
            for ref in ExpressionReferenceScanner.references(in: expression.text) {
                switch ref.namespace {
                case .variables where definitions[ref.name] == nil:
                    undefined(policy, expression, ref, "undefined variable: Undefined variable '\(ref.name)'")
                case .constants where !constantNames.contains(ref.name):
                    undefined(policy, expression, ref, "undefined constant: Undefined constant '\(ref.name)'")
                default: break
                }
            }
        }
        for cycle in VariableCycles.find(order: order, edges: edges) {
            let members = cycle.compactMap { name in definitions[name].map { (name, $0) } }
            guard let anchor = members.first(where: { $0.1.local }) ?? members.first else { continue }
            let described = members.map { "'\($0.0)' (\($0.1.expression.file):\($0.1.expression.mark.line):\($0.1.expression.mark.column))" }
            let message: String
            if members.count == 1 {
                message = "cyclical variable definitions: Variable '\(anchor.0)' references itself"
            } else {
                let list = described.count == 2 ? described.joined(separator: " and ")
                    : described.dropLast().joined(separator: ", ") + ", and " + described.last!
                message = "cyclical variable definitions: Variables \(list) form a cycle"
            }
            let e = anchor.1.expression
            diagnostics.append(Diagnostic(file: e.file, line: e.mark.line, column: e.mark.column, path: e.path, message: message, stage: .compile))
        }
    }

    private mutating func undefined(_ policy: Policy, _ expression: CELExpression, _ ref: ExpressionReferenceScanner.Reference, _ message: String) {
        let at = expression.location(ofOffset: ref.offset)
        diagnostics.append(Diagnostic(file: expression.file, line: at.line, column: at.column, path: expression.path, message: message, stage: .compile))
    }
}

/// Strongly connected components of the variable reference graph that form cycles (Tarjan's algorithm,
/// iterative so a long chain of variables cannot exhaust the stack).
enum VariableCycles {
    static func find(order: [String], edges: [String: [String]]) -> [[String]] {
        var index: [String: Int] = [:]
        var lowLink: [String: Int] = [:]
        var onStack = Set<String>()
        var stack: [String] = []
        var next = 0
        var cycles: [[String]] = []
        let position = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })

        for root in order where index[root] == nil {
            // Each frame is a node and how many of its edges have been followed.
            var work: [(node: String, edge: Int)] = [(root, 0)]
            index[root] = next; lowLink[root] = next; next += 1
            stack.append(root); onStack.insert(root)
            while var frame = work.popLast() {
                let targets = edges[frame.node] ?? []
                if frame.edge < targets.count {
                    let target = targets[frame.edge]
                    frame.edge += 1
                    work.append(frame)
                    if index[target] == nil {
                        index[target] = next; lowLink[target] = next; next += 1
                        stack.append(target); onStack.insert(target)
                        work.append((target, 0))
                    } else if onStack.contains(target) {
                        lowLink[frame.node] = min(lowLink[frame.node]!, index[target]!)
                    }
                    continue
                }
                if let parent = work.last {
                    lowLink[parent.node] = min(lowLink[parent.node]!, lowLink[frame.node]!)
                }
                guard lowLink[frame.node] == index[frame.node] else { continue }
                var component: [String] = []
                while let member = stack.popLast() {
                    onStack.remove(member)
                    component.append(member)
                    if member == frame.node { break }
                }
                let selfLoop = component.count == 1 && targets.contains(frame.node)
                if component.count > 1 || selfLoop {
                    cycles.append(component.sorted { (position[$0] ?? 0) < (position[$1] ?? 0) })
                }
            }
        }
        return cycles
    }
}
