import Foundation
import Testing
@testable import ArbiterPolicy

@Suite struct PolicyLoaderTests {
    static let header = "apiVersion: api.cerbos.dev/v1\n"

    private func resource(_ name: String, scope: String? = nil, extra: String = "") -> String {
        Self.header + "resourcePolicy:\n  resource: \(name)\n  version: default\n" + (scope.map { "  scope: \($0)\n" } ?? "") + extra
            + "  rules:\n    - actions: [view]\n      roles: [user]\n      effect: EFFECT_ALLOW\n"
    }

    private func load(_ files: [String: String]) -> LoadResult {
        PolicyLoader.load(files: files.map { (path: $0.key, contents: Array($0.value.utf8)) })
    }

    @Test func directoryWalk_appliesSkipRulesAndFlagsNestedSchemas() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-loader-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files: [String: String] = [
            "a.yaml": resource("a"),
            "sub/b.yml": resource("b"),
            "sub/c.json": #"{"apiVersion": "api.cerbos.dev/v1", "exportVariables": {"name": "v", "definitions": {"x": "1"}}}"#,
            "sub/a_test.yaml": "not a policy",
            "sub/notes.txt": "not a policy",
            ".hidden/x.yaml": "broken: [",
            "sub/.x.yaml": "broken: [",
            "testdata/x.yaml": "broken: [",
            "_schemas/s.json": "{}",
            "nested/_schemas/s.json": "{}",
            "empty.yaml": "# nothing here\n",
        ]
        for (path, text) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: false, encoding: .utf8)
        }
        let result = PolicyLoader.load(directory: root)
        #expect(result.policies.map(\.file) == ["a.yaml", "sub/b.yml", "sub/c.json"])
        #expect(result.diagnostics.map(\.description) == ["nested/_schemas: \(PolicyPathRules.schemasInWrongPlace)"])
        #expect(result.fileCount == 4)
    }

    @Test func inMemoryFiles_followTheSameRules() {
        #expect(PolicyPathRules.classify(relativePath: "x/_schemas/a.json").misplacedSchemas == "x/_schemas")
        #expect(PolicyPathRules.classify(relativePath: "_schemas/a.json").include == false)
        #expect(PolicyPathRules.classify(relativePath: "x/testdata/a.yaml").include == false)
        #expect(PolicyPathRules.classify(relativePath: "x/a_test.json").include == false)
        #expect(PolicyPathRules.classify(relativePath: "x/a.yml").include == true)
    }

    @Test func duplicateDefinitions_areReported() {
        let result = load(["a.yaml": resource("doc"), "b.yaml": resource("doc")])
        #expect(result.diagnostics.map(\.message) == ["duplicate policy definition: resource.doc.vdefault is already defined in a.yaml"])
        #expect(result.diagnostics.first?.file == "b.yaml")
        #expect(result.policies.map(\.file) == ["a.yaml"])
    }

    /// Cerbos compares sanitised names (§2.7): `album:object`, `album-object` and `album_object`
    /// are one policy, so defining two of them is a duplicate.
    @Test func namesThatSanitiseAlike_areDuplicateDefinitions() {
        let result = load(["a.yaml": resource("album:object"), "b.yaml": resource("album-object")])
        #expect(result.diagnostics.contains { $0.message.contains("duplicate policy definition: resource.album_object.vdefault") },
                "\(result.diagnostics)")
        #expect(load(["a.yaml": resource("album:object"), "b.yaml": resource("album:photo")]).diagnostics.isEmpty)
    }

    @Test func missingImports_areReportedForEachKind() {
        let result = load(["a.yaml": resource("doc", extra: "  importDerivedRoles: [dr]\n  variables: {import: [vs]}\n  constants: {import: [cs]}\n")])
        let messages = result.diagnostics(upTo: .index).map(\.message)
        #expect(messages.contains { $0.contains("cannot find derived roles 'dr'") })
        #expect(messages.contains { $0.contains("cannot find variables 'vs'") })
        #expect(messages.contains { $0.contains("cannot find constants 'cs'") })
    }

    @Test func missingAncestors_areReportedPerMissingScope() {
        let result = load(["a.yaml": resource("doc"), "b.yaml": resource("doc", scope: "acme.hr.uk")])
        #expect(result.diagnostics.map(\.message).sorted() == [
            "missing policy definition: missing ancestor policy \"resource.doc.vdefault/acme\" required by resource.doc.vdefault/acme.hr.uk",
            "missing policy definition: missing ancestor policy \"resource.doc.vdefault/acme.hr\" required by resource.doc.vdefault/acme.hr.uk",
        ])
    }

    @Test func rolePolicyInAScope_fillsAResourceGap() {
        let role = Self.header + "rolePolicy: {role: r, scope: acme, rules: [{resource: doc, allowActions: [view]}]}\n"
        let result = load(["a.yaml": resource("doc"), "b.yaml": resource("doc", scope: "acme.hr"), "r.yaml": role])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    }

    @Test func disabledAncestor_countsAsMissing() {
        let disabled = resource("doc", scope: "acme").replacingOccurrences(of: "resourcePolicy:", with: "disabled: true\nresourcePolicy:")
        let result = load(["a.yaml": resource("doc"), "b.yaml": disabled, "c.yaml": resource("doc", scope: "acme.hr")])
        #expect(result.disabledPolicies.map(\.file) == ["b.yaml"])
        #expect(result.diagnostics.map(\.message) == ["missing policy definition: missing ancestor policy \"resource.doc.vdefault/acme\" required by resource.doc.vdefault/acme.hr"])
    }

    @Test func conflictingScopePermissions_inOneScope_areReported() {
        let consent = "  scopePermissions: SCOPE_PERMISSIONS_REQUIRE_PARENTAL_CONSENT_FOR_ALLOWS\n"
        let result = load([
            "a.yaml": resource("doc"), "b.yaml": resource("doc", scope: "acme", extra: consent),
            "c.yaml": resource("folder"), "d.yaml": resource("folder", scope: "acme"),
        ])
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.message.contains("conflicting scopePermissions in scope \"acme\"") == true)
    }

    @Test func derivedRoleReferences_mustResolveToExactlyOneImport() {
        let dr = { (name: String) in Self.header + "derivedRoles: {name: \(name), definitions: [{name: owner, parentRoles: [user]}]}\n" }
        let policy = Self.header + """
        resourcePolicy:
          resource: doc
          version: default
          importDerivedRoles: [one, two]
          rules:
            - {actions: [a], derivedRoles: [owner], effect: EFFECT_ALLOW}
            - {actions: [b], derivedRoles: [nobody], effect: EFFECT_ALLOW}

        """
        let result = load(["one.yaml": dr("one"), "two.yaml": dr("two"), "p.yaml": policy])
        let messages = result.diagnostics.map(\.message)
        #expect(messages.count == 2)
        #expect(messages.contains { $0.hasPrefix("ambiguous derived role: derived role \"owner\"") })
        #expect(messages.contains { $0.hasPrefix("unknown derived role: derived role \"nobody\"") })
    }

    @Test func redefinedVariablesAndConstants_areReported() {
        let vars = Self.header + "exportVariables: {name: ev, definitions: {foo: 'true'}}\n"
        let consts = Self.header + "exportConstants: {name: ec, definitions: {bar: 1}}\n"
        let policy = resource("doc", extra: "  variables: {import: [ev], local: {foo: 'false'}}\n  constants: {import: [ec], local: {bar: 2}}\n")
        let result = load(["v.yaml": vars, "c.yaml": consts, "p.yaml": policy])
        let messages = result.diagnostics.map(\.message)
        #expect(messages.contains { $0.hasPrefix("variable redefined: Variable 'foo'") })
        #expect(messages.contains { $0.hasPrefix("constant redefined: Constant 'bar'") })
    }

    @Test func invalidPolicy_staysOutOfTheSet() {
        let result = load(["a.yaml": resource("doc", extra: "  bogus: 1\n")])
        #expect(result.policies.isEmpty)
        #expect(result.diagnostics.map(\.message) == ["unknown field \"bogus\""])
    }
}

@Suite struct PolicyLoaderMissingDirectoryTests {
    @Test func missingDirectory_isADiagnosticNotACrash() {
        let directory = "/nonexistent/arbiter-\(UInt64.random(in: 0...UInt64.max))"
        let result = PolicyLoader.load(directory: directory)
        #expect(result.policies.isEmpty)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.message.hasPrefix("cannot read directory") == true)
        #expect(result.diagnostics.first?.file == directory, "the diagnostic names the directory, not \".\"")
    }
}

@Suite struct SchemaReferenceTests {
    private func policy(_ ref: String) -> String {
        "apiVersion: api.cerbos.dev/v1\nresourcePolicy:\n  resource: doc\n  version: default\n  schemas:\n    principalSchema:\n      ref: \(ref)\n"
    }

    private func messages(_ files: [String: String]) -> [String] {
        PolicyLoader.load(files: files.map { (path: $0.key, contents: Array($0.value.utf8)) }).diagnostics.map(\.description)
    }

    @Test func existingObjectSchema_isAccepted() {
        #expect(messages(["p.yaml": policy("cerbos:///p.json"), "_schemas/p.json": " {\"type\": \"object\"}"]) == [])
    }

    @Test func missingSchema_isReportedAtTheRef() {
        #expect(messages(["p.yaml": policy("cerbos:///nope.json")]) == [
            "p.yaml:7:12: invalid schema: Failed to load principal schema \"cerbos:///nope.json\": schema _schemas/nope.json doesn't exist",
        ])
    }

    @Test func nonObjectSchema_isReported() {
        let found = messages(["p.yaml": policy("cerbos:///bad.json"), "_schemas/bad.json": "\"this\": \"is not a schema\""])
        #expect(found.count == 1)
        #expect(found.first?.contains("expected a JSON object or boolean") == true)
    }

    @Test func nonCerbosRefs_cannotBeLoaded_andAreReportedAtTheRef() {
        // Schemas come only from the store's `_schemas/`: nothing is fetched while compiling.
        #expect(messages(["p.yaml": policy("https://example.com/p.json")]) == [
            "p.yaml:7:12: invalid schema: Failed to load principal schema \"https://example.com/p.json\": schema https://example.com/p.json doesn't exist",
        ])
    }

    @Test func schemaWithUnresolvableRef_isReportedAtTheRef() {
        let found = messages(["p.yaml": policy("cerbos:///p.json"),
                              "_schemas/p.json": #"{"properties": {"a": {"$ref": "cerbos:///missing.json"}}}"#])
        #expect(found == [
            "p.yaml:7:12: invalid schema: Failed to load principal schema \"cerbos:///p.json\": schema _schemas/missing.json referenced by cerbos:///p.json doesn't exist",
        ])
    }

    @Test func schemaWithInvalidKeyword_isReportedWithTheKeywordLocation() {
        let found = messages(["p.yaml": policy("cerbos:///p.json"), "_schemas/p.json": #"{"properties": {"a": {"minLength": -1}}}"#])
        #expect(found.count == 1)
        #expect(found.first?.contains("cerbos:///p.json#/properties/a/minLength: minLength must be a non-negative integer") == true)
    }
}
