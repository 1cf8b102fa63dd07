import ArbiterEngine
import ArbiterPolicy
import ArbiterYAML
import CEL
import Testing

/// Cerbos's `internal/test/testdata/cel_eval` cases: each condition is compiled with the
/// production `CELExpressionCompiler` (type-checked, Cerbos library) and evaluated by the engine
/// against the case's request, with `now` pinned as Cerbos's runner pins it. A case whose
/// condition is `all` and wants `true` is checked expression by expression (each must hold);
/// any other case is one unit, the whole condition.
struct CerbosCELConformanceTests {
    /// 2021-04-22T10:05:20.021-05:00.
    static let pinnedNow = Timestamp(seconds: 1_619_103_920, nanos: 21_000_000)

    /// Units expected to fail for now, `file#index` (index into `all.of`), each with the reason.
    static let knownFailures: [String: String] = [:]

    struct Unit {
        var name: String
        var condition: CompiledCondition?
        var compileError: String?
        var want: Bool
        var wantError: Bool
    }

    static let compiler = CELExpressionCompiler()

    static func compileMatch(_ node: YAMLNode) -> Result<CompiledCondition, CompileFailure> {
        guard let pairs = node.mapping, let pair = pairs.first, let key = pair.key.scalar?.value else {
            return .failure(CompileFailure(message: "match at line \(node.line) is not a mapping"))
        }
        if key == "expr" {
            let source = pair.value.scalar?.value ?? ""
            switch compiler.compile(source) {
            case let .success(program, _): return .success(.expression(CompiledExpression(source: source, program: program)))
            case let .failure(issues):
                return .failure(CompileFailure(message: "`\(source)`: " + issues.map(\.message).joined(separator: "; ")))
            }
        }
        guard let of = pair.value.mapping?.first(where: { $0.key.scalar?.value == "of" })?.value.sequence else {
            return .failure(CompileFailure(message: "`\(key)` at line \(pair.key.line) has no `of` list"))
        }
        var parts: [CompiledCondition] = []
        for item in of {
            switch compileMatch(item) {
            case let .success(c): parts.append(c)
            case let .failure(f): return .failure(f)
            }
        }
        switch key {
        case "all": return .success(.all(parts))
        case "any": return .success(.any(parts))
        case "none": return .success(.none(parts))
        default: return .failure(CompileFailure(message: "unknown match operator `\(key)` at line \(pair.key.line)"))
        }
    }

    static func field(_ node: YAMLNode, _ name: String) -> YAMLNode? {
        node.mapping?.first { $0.key.scalar?.value == name }?.value
    }

    /// The units of one file, or a reason the file could not be read.
    static func units(file: String, document: YAMLNode) -> [Unit] {
        guard let condition = field(document, "condition") else { return [] }
        let want = field(document, "want")?.scalar?.value == "true"
        let wantError = field(document, "wantError")?.scalar?.value == "true"
        var units: [Unit] = []
        func unit(_ name: String, _ node: YAMLNode) -> Unit {
            switch compileMatch(node) {
            case let .success(c): return Unit(name: name, condition: c, compileError: nil, want: want, wantError: wantError)
            case let .failure(f): return Unit(name: name, condition: nil, compileError: f.message, want: want, wantError: wantError)
            }
        }
        if want, !wantError, let all = field(condition, "all"), let items = field(all, "of")?.sequence {
            for (i, item) in items.enumerated() { units.append(unit("\(file)#\(i)", item)) }
        } else {
            units.append(unit(file, condition))
        }
        return units
    }

    static func input(_ request: Value) throws -> CheckInput {
        guard case let .map(m) = request else { throw CompileFailure(message: "request is not a mapping") }
        let principal = try Principal(from: m[string: "principal"] ?? .null)
        let resource = try Resource(from: m[string: "resource"] ?? .null)
        var aux: AuxData? = nil
        if let a = m[string: "auxData"] ?? m[string: "aux_data"] { aux = try AuxData(from: a) }
        return CheckInput(requestId: "cel_eval", principal: principal, resource: resource, actions: ["check"], auxData: aux)
    }

    /// Runs one unit: a policy allowing `check` to every role under the unit's condition.
    static func run(_ unit: Unit, _ input: CheckInput) -> (passed: Bool, detail: String) {
        guard let condition = unit.condition else { return (false, "compile error: \(unit.compileError ?? "")") }
        let kind = input.resource.kind
        let key = PolicyNamer.resourcePolicyKey(kind: kind, version: "default", scope: "")
        let rule = CompiledRule(name: "cel_eval", outputSource: key + "#cel_eval", actions: ActionMatcher(["check"]),
                                roles: RoleMatcher(["*"]), derivedRoles: [], resource: nil, effect: .allow,
                                condition: condition)
        let policy = CompiledResourcePolicy(kind: kind, version: "default", scope: "", scopePermissions: .overrideParent,
                                            rules: [rule], derivedRoles: [], params: CompiledParams())
        var builder = PolicySetBuilder(layout: compiler.layout)
        builder.add(policy)
        let engine = Engine(policySet: builder.build(), configuration: EngineConfiguration(lenientScopeSearch: true))
        let output = engine.check([input], now: pinnedNow)[0]
        let allowed = output.actions.first?.1.effect == .allow
        let errors = output.evaluationErrors.map { "\($0.expression): \($0.message)" }
        if unit.wantError { return (!errors.isEmpty, "errors: \(errors)") }
        return (allowed == unit.want, "allowed \(allowed), want \(unit.want), errors \(errors)")
    }

    @Test func celEvalCases_giveTheExpectedResults() throws {
        let dir = ConformanceData.root + "/cerbos/cel_eval"
        guard ConformanceData.exists(dir) else {
            Issue.record("conformance data not found at \(dir); set \(ConformanceData.variable) to the conformance folder")
            return
        }
        let files = ConformanceData.files(in: dir)
        #expect(files.count == 17, "expected 17 cel_eval files in \(dir)")
        var unexpected: [String] = []
        var totalPassed = 0, total = 0
        for file in files {
            guard let bytes = ConformanceData.read(dir + "/" + file) else {
                unexpected.append("\(file): unreadable")
                continue
            }
            let documents = try YAMLParser.parse(bytes, file: file)
            guard let document = documents.first, let requestNode = Self.field(document, "request") else {
                unexpected.append("\(file): no request")
                continue
            }
            let input = try Self.input(requestNode.protobufValue)
            let fileUnits = Self.units(file: file, document: document)
            var passed = 0
            for unit in fileUnits {
                let (ok, detail) = Self.run(unit, input)
                if ok {
                    passed += 1
                    if Self.knownFailures[unit.name] != nil { print("cel_eval: \(unit.name) now passes; remove it from knownFailures") }
                } else if Self.knownFailures[unit.name] == nil {
                    unexpected.append("\(unit.name): \(detail)")
                }
            }
            print("cel_eval \(file): \(passed)/\(fileUnits.count)")
            totalPassed += passed
            total += fileUnits.count
        }
        print("cel_eval total: \(totalPassed)/\(total)")
        #expect(unexpected.isEmpty, "unexpected failures:\n\(unexpected.joined(separator: "\n"))")
    }
}

struct CompileFailure: Error {
    let message: String
}
