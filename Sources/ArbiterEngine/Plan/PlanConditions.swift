import ArbiterPolicy
import CEL

/// Partially evaluates one PlanResources request's conditions (spec §2.12): the principal,
/// globals, constants, `now` and the resource attributes the request gives are known; other
/// `request.resource` fields and attributes are unknown. Variables are inlined as the residual
/// of their expressions, and `runtime.effectiveDerivedRoles` as a list built from the residual
/// conditions of the scope's derived roles.
/// One instance serves one request on one thread; it memoises residuals per parameter block.
/// `V`, `C` and `runtime` are never read from the bindings: they are inlined per policy.
final class PlanConditions {
    private let bindings: EvaluationBindings
    /// Known calls, planned once per thread and function.
    private let calls: KnownCallEvaluator
    private let resource: Resource
    /// Residual of each variable, by parameter block id and name.
    private var variables: [Int: [String: Residual]] = [:]
    /// The derived roles `runtime.effectiveDerivedRoles` lists in the scope being planned
    /// (those the principal's roles can activate), sorted by name; the list is built on first
    /// use, as few policies read it.
    var effectiveDerivedRoles: [CompiledDerivedRole] = [] {
        didSet {
            // Rows of one scope set the same roles over and over: keep the list built for them.
            let same = oldValue.count == effectiveDerivedRoles.count
                && zip(oldValue, effectiveDerivedRoles).allSatisfy { $0 === $1 }
            if !same { effectiveDerivedRolesList = nil }
        }
    }
    private var effectiveDerivedRolesList: Residual?
    /// Residual activation condition of each derived role asked about, by role id.
    private var derivedRoleConditions: [Int: Residual] = [:]

    /// Conditions over the request the scratch's context is lent (its bindings reset for it),
    /// whose known calls spend at most `requestBudget` cost units together.
    init(scratch: CheckScratch, resource: Resource, requestBudget: Int) {
        self.resource = resource
        bindings = scratch.bindings
        calls = scratch.knownCalls(bindings.activation)
        calls.requestBudget = requestBudget
    }

    /// The residual of a `match` tree, folded as Cerbos's `evaluateCondition` folds it.
    func condition(_ condition: CompiledCondition?, params: CompiledParams) -> Residual {
        guard let condition else { return .value(.bool(true)) }
        switch condition {
        case let .expression(e):
            let r = expression(e, params: params)
            if case let .value(v) = r {
                if case .bool = v { return r }
                return .value(.bool(false))
            }
            return r
        case let .all(list):
            return fold(list, params: params, decisive: false, negated: false)
        case let .any(list):
            return fold(list, params: params, decisive: true, negated: false)
        case let .none(list):
            return fold(list, params: params, decisive: false, negated: true)
        }
    }

    /// `all` (`decisive` false), `any` (`decisive` true) or `none` (`all` of the negated
    /// members): a member equal to `decisive` (before negation) decides, members of the other
    /// constant drop out, one remaining member stands alone and more are and'ed or or'ed.
    private func fold(_ list: [CompiledCondition], params: CompiledParams, decisive: Bool, negated: Bool) -> Residual {
        let stop = negated ? true : decisive
        var nodes: [Residual] = []
        for c in list {
            let node = condition(c, params: params)
            switch node.knownBool {
            case stop?: return .value(.bool(decisive))
            case _?: continue
            case nil: nodes.append(negated ? PlanNodes.not(node) : node)
            }
        }
        if nodes.isEmpty { return .value(.bool(!decisive)) }
        if nodes.count == 1 { return nodes[0] }
        return decisive ? PlanNodes.or(nodes) : PlanNodes.and(nodes)
    }

    /// The residual of one expression with `params` as `V` and `C`.
    func expression(_ e: CompiledExpression, params: CompiledParams) -> Residual {
        guard let expr = e.program.expr else { return .value(.err("expression '\(e.source)' cannot be planned")) }
        var evaluator = PartialEvaluator(calls: calls) { [unowned self] path in
            self.resolve(path, params: params)
        }
        return evaluator.expandingKnownMapIndex(evaluator.evaluate(expr))
    }

    /// A derived role's activation condition, as seen with an empty
    /// `runtime.effectiveDerivedRoles`; evaluated when first asked for.
    func derivedRoleCondition(_ role: CompiledDerivedRole) -> Residual {
        if let known = derivedRoleConditions[role.id] { return known }
        let saved = effectiveDerivedRoles
        effectiveDerivedRoles = []
        let residual = condition(role.condition, params: role.params)
        effectiveDerivedRoles = saved
        derivedRoleConditions[role.id] = residual
        return residual
    }

    /// `runtime.effectiveDerivedRoles`: `c₁ ? [n₁] : [] + (c₂ ? [n₂] : [] + ...)`, folded where
    /// the conditions are known.
    private func derivedRolesList(_ roles: [CompiledDerivedRole]) -> Residual {
        let elements: [Residual] = roles.map { role in
            let condition = derivedRoleCondition(role)
            switch condition.knownBool {
            case true?: return .value(.list([.string(role.name)]))
            case false?: return .value(.list([]))
            case nil:
                return .call(function: "_?_:_", target: nil,
                             args: [condition, .value(.list([.string(role.name)])), .value(.list([]))])
            }
        }
        guard var result = elements.last else { return .value(.list([])) }
        var evaluator = PartialEvaluator(calls: calls) { _ in nil }
        for element in elements.dropLast().reversed() {
            result = evaluator.apply("_+_", target: nil, args: [element, result])
        }
        return result
    }

    // MARK: names

    private func resolve(_ path: [String], params: CompiledParams) -> (residual: Residual, consumed: Int)? {
        switch path[0] {
        case "R":
            return resourcePath(path, from: 1)
        case "request":
            if path.count > 1, path[1] == "resource" { return resourcePath(path, from: 2) }
            return (.value(bindings.request), 1)
        case "P": return (.value(bindings.principal), 1)
        case "G", "globals": return (.value(bindings.globals), 1)
        case "C", "constants": return (.value(params.constants), 1)
        case "V", "variables":
            guard path.count > 1 else { return (.value(.err("variables cannot be planned as a whole")), 1) }
            return (variable(path[1], params: params), 2)
        case "runtime":
            if path.count > 1, path[1] == "effectiveDerivedRoles" || path[1] == "effective_derived_roles" {
                let list = effectiveDerivedRolesList ?? derivedRolesList(effectiveDerivedRoles)
                effectiveDerivedRolesList = list
                return (list, 2)
            }
            return (.value(bindings.runtime), 1)
        default:
            return nil
        }
    }

    /// `request.resource...` from path element `start` on: attributes the request gives, the
    /// kind and the scope are known; anything else is an unknown named in full.
    private func resourcePath(_ path: [String], from start: Int) -> (residual: Residual, consumed: Int) {
        let rest = path[start...]
        if let field = rest.first {
            switch field {
            case "attr":
                if rest.count > 1, let value = resource.attr[string: rest[rest.startIndex + 1]] {
                    return (.value(value), start + 2)
                }
            case "kind": return (.value(.string(resource.kind)), start + 1)
            case "scope": return (.value(.string(PolicyNamer.normalisedScope(resource.scope))), start + 1)
            default: break
            }
        }
        return (.unknown((["request", "resource"] + rest).joined(separator: ".")), path.count)
    }

    private func variable(_ name: String, params: CompiledParams) -> Residual {
        if let known = variables[params.id]?[name] { return known }
        let residual: Residual
        if let definition = params.variables.first(where: { $0.name == name }) {
            residual = expression(definition.expression, params: params)
        } else {
            residual = .value(.err("undefined field '\(name)'"))
        }
        variables[params.id, default: [:]][name] = residual
        return residual
    }
}
