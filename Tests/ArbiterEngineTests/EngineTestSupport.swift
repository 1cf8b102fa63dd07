import ArbiterEngine
import ArbiterPolicy
import CEL

/// An expression written as Swift for engine tests that must not depend on the CEL interpreter.
struct SwiftProgram: ExpressionProgram {
    let body: @Sendable (EvaluationBindings) -> Value
    func evaluate(_ bindings: EvaluationBindings) -> Value { body(bindings) }
}

func expr(_ source: String, _ body: @escaping @Sendable (EvaluationBindings) -> Value) -> CompiledExpression {
    CompiledExpression(source: source, program: SwiftProgram(body: body))
}

func cond(_ source: String, _ body: @escaping @Sendable (EvaluationBindings) -> Value) -> CompiledCondition {
    .expression(expr(source, body))
}

/// `R.attr[name]`, or a `no such key` error as CEL would raise.
func resourceAttr(_ b: EvaluationBindings, _ name: String) -> Value {
    guard case let .object(r) = b.resource, case let .map(attr)? = r.field("attr") else { return .error(EvalError("bad R")) }
    return attr[string: name] ?? .error(EvalError("no such key: \(name)"))
}

func principalAttr(_ b: EvaluationBindings, _ name: String) -> Value {
    guard case let .object(p) = b.principal, case let .map(attr)? = p.field("attr") else { return .error(EvalError("bad P")) }
    return attr[string: name] ?? .error(EvalError("no such key: \(name)"))
}

/// `R.attr.<name> == <value>` for string attributes.
func attrIs(_ name: String, _ value: String) -> CompiledCondition {
    cond("R.attr.\(name) == \"\(value)\"") { b in
        let v = resourceAttr(b, name)
        if isError(v) { return v }
        if case let .string(s) = v { return .bool(s == value) }
        return .bool(false)
    }
}

let alwaysTrue = cond("true") { _ in .bool(true) }
let alwaysFalse = cond("false") { _ in .bool(false) }

func rule(_ name: String, key: String, actions: [String], roles: [String] = [], derived: [CompiledDerivedRole] = [],
          effect: RuleEffect, condition: CompiledCondition? = nil, activated: CompiledExpression? = nil,
          notMet: CompiledExpression? = nil, resource: String? = nil) -> CompiledRule {
    CompiledRule(name: name, outputSource: key + "#" + name, actions: ActionMatcher(actions), roles: RoleMatcher(roles),
                 derivedRoles: derived, resource: resource.map(GlobPattern.init), effect: effect, condition: condition,
                 ruleActivated: activated, conditionNotMet: notMet)
}

func resourcePolicy(_ kind: String, version: String = "default", scope: String = "", mode: ScopePermissionMode = .overrideParent,
                    derived: [CompiledDerivedRole] = [], params: CompiledParams = CompiledParams(),
                    _ rules: (String) -> [CompiledRule]) -> CompiledResourcePolicy {
    let key = PolicyNamer.resourcePolicyKey(kind: kind, version: version, scope: scope)
    return CompiledResourcePolicy(kind: kind, version: version, scope: scope, scopePermissions: mode, rules: rules(key),
                                  derivedRoles: derived, params: params)
}

func principalPolicy(_ id: String, version: String = "default", scope: String = "", mode: ScopePermissionMode = .overrideParent,
                     _ rules: (String) -> [CompiledRule]) -> CompiledPrincipalPolicy {
    let key = PolicyNamer.principalPolicyKey(principal: id, version: version, scope: scope)
    return CompiledPrincipalPolicy(principal: id, version: version, scope: scope, scopePermissions: mode, rules: rules(key),
                                   params: CompiledParams())
}

func makeSet(resources: [CompiledResourcePolicy] = [], principals: [CompiledPrincipalPolicy] = [],
             roles: [CompiledRolePolicy] = []) -> PolicySet {
    var builder = PolicySetBuilder()
    resources.forEach { builder.add($0) }
    principals.forEach { builder.add($0) }
    roles.forEach { builder.add($0) }
    return builder.build()
}

func attrs(_ pairs: [(String, Value)]) -> MapValue { MapValue(stringKeyed: pairs) }

func input(kind: String = "doc", id: String = "r1", roles: [String] = ["user"], principal: String = "alice",
           actions: [String], resourceAttr: MapValue = MapValue(), principalAttr: MapValue = MapValue(),
           resourceScope: String = "", principalScope: String = "", resourceVersion: String = "",
           principalVersion: String = "") -> CheckInput {
    CheckInput(requestId: "req", principal: Principal(id: principal, roles: roles, attr: principalAttr,
                                                      policyVersion: principalVersion, scope: principalScope),
               resource: Resource(kind: kind, id: id, attr: resourceAttr, policyVersion: resourceVersion, scope: resourceScope),
               actions: actions)
}

let fixedNow = Timestamp(seconds: 1_700_000_000)

func check(_ set: PolicySet, _ input: CheckInput, configuration: EngineConfiguration = EngineConfiguration()) -> CheckOutput {
    Engine(policySet: set, configuration: configuration).check(input, now: fixedNow)
}

func isError(_ v: Value) -> Bool {
    if case .error = v { return true }
    return false
}

/// Structural equality for the JSON-shaped values these tests use (CEL's `Value` has no `==`).
func same(_ a: Value?, _ b: Value?) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case let (.string(x)?, .string(y)?): return x == y
    case let (.bool(x)?, .bool(y)?): return x == y
    case let (.int(x)?, .int(y)?): return x == y
    case let (.double(x)?, .double(y)?): return x == y
    case (.null?, .null?): return true
    case let (.list(x)?, .list(y)?): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
    case let (.map(x)?, .map(y)?):
        return x.count == y.count && x.storage.allSatisfy { k, v in same(v, y[k]) }
    default: return false
    }
}
