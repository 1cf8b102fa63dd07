import ArbiterEngine
import ArbiterPolicy
import ArbiterYAML
import CEL
import Testing

/// Runs Cerbos's query planner suites (spec §2.12, §6): `query_planner_filter` against the
/// filter normalisation, and `query_planner` against the whole planner, as Cerbos's runner
/// does (includeMeta, `now` pinned, JWT claims `{"customInt": 42}`, globals `{environment: test}`).
@Suite(.serialized) struct PlanConformanceTests {
    /// Tests (`folder/file#index`) known to fail, each with the reason.
    static let knownFailures: [String: String] = [:]

    static let now = Timestamp(rfc3339: "2024-01-16T10:18:27.395+13:00")!

    @Test func filterCases_normaliseAsCerbos() throws {
        let dir = ConformanceData.root + "/cerbos/query_planner_filter"
        guard ConformanceData.exists(dir) else {
            Issue.record("conformance data not found at \(dir); set \(ConformanceData.variable) to the conformance folder")
            return
        }
        var passed = 0, total = 0
        for file in ConformanceData.files(in: dir) {
            let testCase = try Self.document(dir + "/" + file)
            guard case let .map(input)? = testCase[string: "input"], case let .map(want)? = testCase[string: "wantFilter"] else {
                Issue.record("\(file): no input or wantFilter")
                continue
            }
            total += 1
            let condition = try input[string: "condition"].map { v throws(RequestError) in try PlanOperand(from: v) }
            let filter = PlanFilter(normalising: condition)
            let wantCondition = try want[string: "condition"].map { v throws(RequestError) in try PlanOperand(from: v) }
            var problems: [String] = []
            if case let .string(kind)? = want[string: "kind"], kind != filter.kind.rawValue {
                problems.append("kind \(filter.kind.rawValue), want \(kind)")
            }
            if wantCondition?.canonicalText != filter.condition?.canonicalText {
                problems.append("condition \(filter.condition?.canonicalText ?? "nil"), want \(wantCondition?.canonicalText ?? "nil")")
            }
            if case let .string(text)? = testCase[string: "wantString"], text != filter.debugString {
                problems.append("string \(filter.debugString), want \(text)")
            }
            if problems.isEmpty { passed += 1 } else { Issue.record(Comment(rawValue: "\(file): " + problems.joined(separator: "; "))) }
        }
        print("[conformance] query_planner_filter: \(passed)/\(total)")
        #expect(total == 19)
    }

    @Test(arguments: [("strict_scope_search", false), ("lenient_scope_search", true)])
    func plannerSuites_matchCerbos(folder: String, lenient: Bool) throws {
        let dir = ConformanceData.root + "/cerbos/query_planner"
        guard ConformanceData.exists(dir) else {
            Issue.record("conformance data not found at \(dir); set \(ConformanceData.variable) to the conformance folder")
            return
        }
        let load = PolicyLoader.load(directory: dir + "/policies")
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(load)
        guard let set = compiled.policySet else {
            Issue.record("policies failed to compile: \(compiled.diagnostics.map(\.description).joined(separator: "\n"))")
            return
        }
        let globals = MapValue(stringKeyed: [("environment", .string("test"))])
        let engine = Engine(policySet: set, configuration: EngineConfiguration(lenientScopeSearch: lenient, globals: globals))
        let auxData = AuxData(jwt: MapValue(stringKeyed: [("customInt", .int(42))]))
        for suite in ["common", folder] {
            var passed = 0, total = 0, known = 0
            for file in ConformanceData.files(in: dir + "/suite/" + suite) {
                let doc = try Self.document(dir + "/suite/" + suite + "/" + file)
                guard let principalValue = doc[string: "principal"], case let .list(tests)? = doc[string: "tests"] else {
                    Issue.record("\(file): no principal or tests")
                    continue
                }
                let principal = try Principal(from: principalValue)
                for (i, test) in tests.enumerated() {
                    guard case let .map(t) = test else { continue }
                    total += 1
                    let key = "\(suite)/\(file)#\(i)"
                    let problem = Self.run(t, principal: principal, engine: engine, auxData: auxData)
                    if let problem {
                        if Self.knownFailures[key] != nil {
                            known += 1
                        } else {
                            Issue.record(Comment(rawValue: "\(key)\(lenient ? " (lenient)" : ""): \(problem)"))
                        }
                    } else {
                        passed += 1
                    }
                }
            }
            print("[conformance] query_planner/\(suite)\(lenient ? " (lenient)" : ""): \(passed)/\(total), known failures \(known)")
        }
    }

    /// Runs one test; nil when it passes, otherwise what differs.
    static func run(_ t: MapValue, principal: Principal, engine: Engine, auxData: AuxData) -> String? {
        var request: [(String, Value)] = [("includeMeta", .bool(true)), ("principal", principalJSON(principal))]
        if let action = t[string: "action"] { request.append(("action", action)) }
        if let actions = t[string: "actions"] { request.append(("actions", actions)) }
        if let resource = t[string: "resource"] { request.append(("resource", resource)) }
        let wantsError: Bool
        if case .bool(true)? = t[string: "wantErr"] { wantsError = true } else { wantsError = false }
        let response: PlanResourcesResponse
        do {
            response = try engine.planResources(try PlanResourcesRequest(from: .map(MapValue(stringKeyed: request))),
                                                auxData: auxData, now: now)
        } catch {
            return wantsError ? nil : "unexpected error: \(error)"
        }
        if wantsError { return "expected an error, got \(response.filter.debugString)" }
        guard case let .map(want)? = t[string: "want"] else { return "no want" }
        let wantKind: String
        if case let .string(k)? = want[string: "kind"] { wantKind = k } else { wantKind = "KIND_UNSPECIFIED" }
        let wantCondition: String?
        do {
            wantCondition = try want[string: "condition"].map { v throws(RequestError) in try PlanOperand(from: v).canonicalText }
        } catch {
            return "bad expectation: \(error)"
        }
        let got = response.filter.condition?.canonicalText
        if wantKind != response.filter.kind.rawValue || wantCondition != got {
            return "got \(response.filter.kind.rawValue) \(got ?? ""), want \(wantKind) \(wantCondition ?? "")"
        }
        return nil
    }

    static func principalJSON(_ p: Principal) -> Value {
        var pairs: [(String, Value)] = [("id", .string(p.id)), ("roles", .list(p.roles.map { .string($0) })), ("attr", .map(p.attr))]
        if !p.policyVersion.isEmpty { pairs.append(("policyVersion", .string(p.policyVersion))) }
        if !p.scope.isEmpty { pairs.append(("scope", .string(p.scope))) }
        return .map(MapValue(stringKeyed: pairs))
    }

    static func document(_ path: String) throws -> MapValue {
        guard let bytes = ConformanceData.read(path) else { throw RequestError(path: path, message: "cannot read") }
        let docs = try YAMLParser.parse(bytes, file: path)
        guard let doc = docs.first, case let .map(m) = doc.protobufValue else {
            throw RequestError(path: path, message: "not a mapping")
        }
        return m
    }
}
