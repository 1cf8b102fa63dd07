import ArbiterJSON
import ArbiterSchema
import CEL
import Testing

/// The official JSON Schema Test Suite: every required test of draft 2020-12 and draft 7, and
/// the `optional/format` tests of the formats Cerbos's validator checks. Prints passed/total per file.
@Suite struct SchemaSuiteConformanceTests {
    struct Outcome {
        var passed = 0
        var total = 0
        var skipped = 0
        var failures: [String] = []
    }

    static func run(folder: String, draft: JSONSchemaDraft, assertFormat: Bool = false) throws -> [(file: String, outcome: Outcome)] {
        let directory = SchemaSuiteData.root + "/tests/" + folder
        let files = SchemaSuiteData.files(in: directory)
        #expect(!files.isEmpty, "no test files in \(directory); set \(SchemaSuiteData.variable)")
        var results: [(String, Outcome)] = []
        for file in files {
            let path = folder + "/" + file
            guard let bytes = SchemaSuiteData.read(directory + "/" + file) else {
                Issue.record("cannot read \(directory)/\(file)")
                continue
            }
            guard case let .list(groups) = try JSONReader.parse(bytes) else {
                Issue.record("\(path) is not an array of test groups")
                continue
            }
            var outcome = Outcome()
            let compiler = SchemaCompiler(defaultDraft: draft, assertFormat: assertFormat, resolver: SchemaSuiteData.remotesResolver)
            for group in groups {
                guard case let .map(g) = group, case let .string(description)? = g[string: "description"],
                      let schemaValue = g[string: "schema"], case let .list(tests)? = g[string: "tests"] else {
                    Issue.record("\(path): malformed group")
                    continue
                }
                if SchemaSuiteSkips.reason(file: path, group: description) != nil {
                    outcome.skipped += tests.count
                    continue
                }
                let schema: JSONSchema
                do {
                    schema = try compiler.compile(schemaValue, uri: "")
                } catch {
                    outcome.total += tests.count
                    outcome.failures.append("\(description): does not compile: \(error)")
                    continue
                }
                for test in tests {
                    guard case let .map(t) = test, case let .string(name)? = t[string: "description"],
                          let data = t[string: "data"], case let .bool(expected)? = t[string: "valid"] else { continue }
                    outcome.total += 1
                    let valid = schema.isValid(data)
                    let errors = schema.validate(data)
                    if valid == expected && errors.isEmpty == expected {
                        outcome.passed += 1
                    } else {
                        outcome.failures.append("\(description) / \(name): expected \(expected ? "valid" : "invalid"), isValid \(valid), errors \(errors)")
                    }
                }
            }
            results.append((path, outcome))
        }
        return results
    }

    static func report(_ results: [(file: String, outcome: Outcome)]) {
        var passed = 0, total = 0, skipped = 0
        for (file, outcome) in results {
            print("json-schema \(file): \(outcome.passed)/\(outcome.total)" + (outcome.skipped > 0 ? " (\(outcome.skipped) skipped)" : ""))
            if let known = SchemaSuiteSkips.knownFormatFailures[file], outcome.failures.count <= known.count {
                print("json-schema \(file): \(outcome.failures.count) known failures: \(known.reason)")
            } else {
                for failure in outcome.failures { Issue.record("\(file): \(failure)") }
            }
            passed += outcome.passed
            total += outcome.total
            skipped += outcome.skipped
        }
        print("json-schema total: \(passed)/\(total), \(skipped) skipped")
    }

    @Test func draft2020_12_requiredTests_allPass() throws {
        Self.report(try Self.run(folder: "draft2020-12", draft: .draft2020_12))
    }

    @Test func draft7_requiredTests_allPass() throws {
        Self.report(try Self.run(folder: "draft7", draft: .draft7))
    }

    @Test func draft2020_12_formatTests_allPass() throws {
        Self.report(try Self.run(folder: "draft2020-12/optional/format", draft: .draft2020_12, assertFormat: true))
    }

    @Test func draft7_formatTests_allPass() throws {
        Self.report(try Self.run(folder: "draft7/optional/format", draft: .draft7))
    }
}
