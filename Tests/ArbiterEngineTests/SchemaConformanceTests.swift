import ArbiterEngine
import ArbiterPolicy
import ArbiterYAML
import CEL
import Testing

/// Cerbos's schema test data: `engine_schema_enforcement/{warn,reject}` against the shared store,
/// and `schema/` (the schema manager on its own: refs, `ignoreWhen`, unloadable schemas).
@Suite(.serialized) struct SchemaConformanceTests {
    static func testCase(_ path: String) throws -> MapValue? {
        guard let bytes = ConformanceData.read(path) else { return nil }
        guard let doc = try YAMLParser.parse(bytes, file: path).first, case let .map(testCase) = doc.protobufValue else { return nil }
        return testCase
    }

    static func errorKeys(_ errors: [ValidationError]) -> [String] {
        errors.map { "\($0.source.rawValue) \($0.path) \($0.message)" }
    }

    static func wantedErrorKeys(_ value: Value?) -> [String] {
        guard case let .list(items)? = value else { return [] }
        return items.compactMap { item -> String? in
            guard case let .map(m) = item else { return nil }
            let path = EngineConformanceTests.str(m[string: "path"])
            return "\(EngineConformanceTests.str(m[string: "source"])) \(path) \(EngineConformanceTests.str(m[string: "message"]))"
        }
    }

    @Test(arguments: [("warn", SchemaEnforcement.warn), ("reject", SchemaEnforcement.reject)])
    func engineSchemaEnforcement_matchesCerbos(folder: String, enforcement: SchemaEnforcement) throws {
        let dir = ConformanceData.root + "/cerbos/engine_schema_enforcement/" + folder
        let files = ConformanceData.files(in: dir)
        #expect(!files.isEmpty, "no cases in \(dir); set \(ConformanceData.variable)")
        let (compiled, diagnostics) = ConformanceData.compiledStore()
        guard let set = compiled else {
            Issue.record("store failed to compile: \(diagnostics.map(\.description).joined(separator: "\n"))")
            return
        }
        let globals = MapValue(stringKeyed: [("environment", .string("test"))])
        let engine = Engine(policySet: set, configuration: EngineConfiguration(globals: globals, schemaEnforcement: enforcement))
        var passed = 0, total = 0
        for file in files {
            guard let testCase = try Self.testCase(dir + "/" + file),
                  case let .list(inputs)? = testCase[string: "inputs"], case let .list(wants)? = testCase[string: "wantOutputs"] else {
                Issue.record("\(folder)/\(file): unreadable case")
                continue
            }
            for (i, raw) in inputs.enumerated() where i < wants.count {
                total += 1
                let output = engine.check(try CheckInput(from: raw, path: "inputs[\(i)]"), now: Engine.currentTime())
                var (_, _, problems) = EngineConformanceTests.compare(output, wants[i])
                guard case let .map(want) = wants[i] else { continue }
                // Cerbos sorts validation errors by source and path; the expectation lists them in that order.
                let wantErrors = Self.wantedErrorKeys(want[string: "validationErrors"])
                if Self.errorKeys(output.validationErrors) != wantErrors {
                    problems.append("validationErrors: got \(Self.errorKeys(output.validationErrors)), want \(wantErrors)")
                }
                if problems.isEmpty { passed += 1 } else { Issue.record("\(folder)/\(file)#\(i): \(problems.joined(separator: "; "))") }
            }
        }
        print("[conformance] engine_schema_enforcement/\(folder): \(passed)/\(total)")
        #expect(total == 3)
    }

    @Test func schemaManagerCases_matchCerbos() throws {
        let root = ConformanceData.root + "/cerbos/schema"
        let files = ConformanceData.files(in: root + "/test_cases")
        #expect(!files.isEmpty, "no cases in \(root); set \(ConformanceData.variable)")
        var passed = 0
        for file in files {
            guard let testCase = try Self.testCase(root + "/test_cases/" + file), case let .map(refs)? = testCase[string: "schemaRefs"] else {
                Issue.record("\(file): unreadable case")
                continue
            }
            func use(_ key: String) -> AttributeSchemas.Use? {
                guard case let .map(m)? = refs[string: key] else { return nil }
                var ignored: [String]?
                if case let .map(when)? = m[string: "ignoreWhen"] { ignored = EngineConformanceTests.strings(when[string: "actions"]) }
                return AttributeSchemas.Use(ref: EngineConformanceTests.str(m[string: "ref"]), ignoredActions: ignored)
            }
            let schemas = AttributeSchemas(principal: use("principalSchema"), resource: use("resourceSchema"))
            let registry = SchemaRegistry(refs: [schemas.principal?.ref, schemas.resource?.ref].compactMap { $0 }) {
                ConformanceData.read(root + "/fs/_schemas/" + $0)
            }
            let input: MapValue, actions: [String], plan: Bool
            if case let .map(check)? = testCase[string: "checkInput"] {
                (input, actions, plan) = (check, EngineConformanceTests.strings(check[string: "actions"]), false)
            } else if case let .map(planInput)? = testCase[string: "planResourcesInput"] {
                (input, actions, plan) = (planInput, [EngineConformanceTests.str(planInput[string: "action"])], true)
            } else {
                Issue.record("\(file): no input")
                continue
            }
            func attributes(_ key: String) -> MapValue {
                guard case let .map(side)? = input[string: key], case let .map(attr)? = side[string: "attr"] else { return MapValue() }
                return attr
            }
            let got = Engine.validateAttributes(principal: attributes("principal"), resource: attributes("resource"), actions: actions,
                                                schemas: schemas, registry: registry, ignoringRequired: plan)
            // The expectations list errors in the validator's traversal order, which is Go map order: compare as sets.
            let want = Self.wantedErrorKeys(testCase[string: "wantValidationErrors"]).sorted()
            if Self.errorKeys(got).sorted() == want {
                passed += 1
            } else {
                Issue.record("schema/\(file): got \(Self.errorKeys(got).sorted()), want \(want)")
            }
        }
        print("[conformance] schema: \(passed)/\(files.count)")
    }
}
