@testable import ArbiterEngine
import ArbiterPolicy
import ArbiterYAML
import CEL
import Testing

/// Cerbos's `test_suite_run_get_tests` cases: how one test table expands into principal/resource
/// checks with expected effects, and which tables are rejected.
@Suite struct VerifyTableExpansionTests {
    /// The fixture set Cerbos's own runner gives these cases.
    static let fixtures: TestFixtures = {
        var f = TestFixtures()
        for name in ["employee", "manager", "department_head"] {
            f.principals[name] = Principal(id: name, roles: ["user"])
        }
        for owner in ["employee", "manager", "department_head"] {
            f.resources[owner + "_leave_request"] = Resource(kind: "leave_request", id: owner)
        }
        f.principalGroups["management"] = ["manager", "department_head"]
        f.resourceGroups["management_leave_requests"] = ["manager_leave_request", "department_head_leave_request"]
        f.auxData["test_aux_data"] = AuxData(jwt: MapValue(stringKeyed: [("answer", .double(42))]))
        return f
    }()

    static func string(_ node: YAMLNode?) -> String? { node?.scalar?.value }

    static func field(_ node: YAMLNode?, _ name: String) -> YAMLNode? {
        node?.mapping?.first { $0.key.scalar?.value == name }?.value
    }

    @Test func tableExpansion_matchesCerbos() throws {
        let dir = ConformanceData.root + "/cerbos/verify/test_suite_run_get_tests"
        guard ConformanceData.exists(dir) else {
            Issue.record("conformance data not found at \(dir); set \(ConformanceData.variable) to the conformance folder")
            return
        }
        var passed = 0
        let files = ConformanceData.files(in: dir)
        #expect(files.count == 11)
        for file in files {
            let bytes = try #require(ConformanceData.read(dir + "/" + file))
            let doc = try #require(try YAMLParser.parse(bytes, file: file).first)
            let (decoded, diagnostics) = TestSuiteDecoder.decodeTable(try #require(Self.field(doc, "table")), file: file)
            let table = try #require(decoded, "\(file): \(diagnostics.map(\.description))")
            let wantErr = Self.string(Self.field(doc, "wantErr")) ?? ""
            let plan: TestPlan
            do {
                plan = try TestPlan(table: table, fixtures: Self.fixtures)
            } catch {
                let message = "invalid test \"\(table.name)\": \(error.message)"
                #expect(message == wantErr, "\(file)")
                if message == wantErr { passed += 1 }
                continue
            }
            #expect(wantErr.isEmpty, "\(file): expected \(wantErr)")
            var got: [String] = []
            for (p, _) in plan.principals {
                for (r, _) in plan.resources {
                    let e = plan.expectation(principal: p, resource: r)
                    let effects = table.input.actions.map { "\($0)=\((e.effects[$0] ?? .deny).rawValue)" }
                    got.append("\(p)/\(r): \(effects.joined(separator: ","))")
                }
            }
            var want: [String] = []
            for test in Self.field(doc, "wantTests")?.sequence ?? [] {
                let name = Self.field(test, "name")
                let expected = Self.field(test, "expected")?.mapping ?? []
                let effects = table.input.actions.map { action in
                    "\(action)=\(Self.string(expected.first { $0.key.scalar?.value == action }?.value) ?? "EFFECT_DENY")"
                }
                want.append("\(Self.string(Self.field(name, "principalKey")) ?? "?")/\(Self.string(Self.field(name, "resourceKey")) ?? "?"): \(effects.joined(separator: ","))")
            }
            #expect(got.sorted() == want.sorted(), "\(file)")
            if got.sorted() == want.sorted() { passed += 1 }
        }
        print("verify test_suite_run_get_tests: \(passed)/\(files.count)")
    }
}
