import ArbiterYAML
import CEL
import OrderedCollections

/// The variables and constants visible to one policy's expressions, compiled in dependency order.
struct ParamScope {
    var variableNames: Set<String> = []
    var constantNames: Set<String> = []
    var params = CompiledParams()
    var ok = true

    /// Reports references to undefined variables or constants; returns whether there were none.
    func check(_ refs: ExpressionReferences, expr: CELExpression, session: inout CompileSession) -> Bool {
        var fine = true
        for name in refs.variables.sorted() where !variableNames.contains(name) {
            session.report(expr.mark, expr.path, "undefined variable: variable \"\(name)\" is not defined")
            fine = false
        }
        for name in refs.constants.sorted() where !constantNames.contains(name) {
            session.report(expr.mark, expr.path, "undefined constant: constant \"\(name)\" is not defined")
            fine = false
        }
        return fine
    }
}

extension CompileSession {
    /// Builds the parameter scope of a policy body: imported then local constants and variables,
    /// variables ordered so each comes after the ones it reads (spec §1.2).
    mutating func paramScope(variables: Variables?, localVariables: [VariableDefinition], constants: Constants?) -> ParamScope {
        var scope = ParamScope()
        var constantMap = MapValue()
        for name in constants?.imports ?? [] {
            for def in exportConstants[name.value]?.definitions ?? [] {
                constantMap.storage[.string(def.name.value)] = def.value
            }
        }
        for def in constants?.local ?? [] { constantMap.storage[.string(def.name.value)] = def.value }
        for case let .string(name) in constantMap.storage.keys { scope.constantNames.insert(name) }

        var definitions: [VariableDefinition] = []
        for name in variables?.imports ?? [] {
            guard let imported = exportVariables[name.value] else { continue }
            definitions.append(contentsOf: imported.set.definitions)
        }
        definitions.append(contentsOf: localVariables)
        var byName: [String: Int] = [:]
        for (i, def) in definitions.enumerated() { byName[def.name.value] = i }
        scope.variableNames = Set(byName.keys)

        var compiled: [Int: (CompiledExpression, ExpressionReferences)] = [:]
        for (i, def) in definitions.enumerated() where byName[def.name.value] == i {
            guard let result = expression(def.expression) else { scope.ok = false; continue }
            if !scope.check(ExpressionReferences(variables: [], constants: result.1.constants), expr: def.expression, session: &self) {
                scope.ok = false
            }
            compiled[i] = result
        }

        // Depth-first topological order over `V.x` references, in definition order.
        var order: [Int] = []
        var state: [Int: Int] = [:] // 1 visiting, 2 done
        var reportedCycle = false
        func visit(_ i: Int, _ session: inout CompileSession) {
            if state[i] == 2 { return }
            if state[i] == 1 {
                if !reportedCycle {
                    let def = definitions[i]
                    session.report(def.name.mark, def.expression.path,
                                   "cyclical variable definitions: variable \"\(def.name.value)\" depends on itself")
                    reportedCycle = true
                }
                scope.ok = false
                return
            }
            state[i] = 1
            if let (_, refs) = compiled[i] {
                for name in refs.variables.sorted() {
                    if let j = byName[name] {
                        visit(j, &session)
                    } else {
                        let def = definitions[i]
                        session.report(def.expression.mark, def.expression.path,
                                       "undefined variable: variable \"\(name)\" is not defined")
                        scope.ok = false
                    }
                }
            }
            state[i] = 2
            order.append(i)
        }
        for (i, def) in definitions.enumerated() where byName[def.name.value] == i { visit(i, &self) }

        let ordered = order.compactMap { i -> CompiledParams.Variable? in
            guard let (expr, refs) = compiled[i] else { return nil }
            return CompiledParams.Variable(name: definitions[i].name.value, expression: expr,
                                           readsVariables: !refs.variables.isEmpty || refs.usesWholeVariables,
                                           deferrable: !refs.usesRuntime && !refs.usesWholeVariables)
        }
        scope.params = CompiledParams(constants: constantMap, variables: ordered)
        return scope
    }
}
