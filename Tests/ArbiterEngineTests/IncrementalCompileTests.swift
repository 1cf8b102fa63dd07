import ArbiterEngine
import ArbiterPolicy
import CEL
import Foundation
import Testing

/// Incremental compiles (`PolicyCompiler.compile(_:sources:reusing:)` after
/// `PolicyLoader.load(files:reusing:)`) against full ones, over a generated set edited at random.
@Suite struct IncrementalCompileTests {
    /// The parameters of a generated policy set; the files are rendered from them, edits change them.
    struct Model {
        static let kinds = 5
        static let scopes = ["", "s", "s.x"]
        var resourceImports: [String: Int] = [:]      // file -> derived-roles set
        var resourceLevels: [String: Int] = [:]       // file -> level bound of the `view` rule
        var resourceBroken: Set<String> = []          // files with a CEL syntax error
        var parentalConsent: Set<String> = []         // files with REQUIRE_PARENTAL_CONSENT_FOR_ALLOWS
        var ownerVariant = [0, 0, 0]                  // per derived-roles set
        var maxLevel = [3, 3]                         // per exported constants set
        var variableVariant = [0, 0]                  // per exported variables set
        var deleted: Set<String> = []
        var renamed: [String: String] = [:]           // original path -> path now

        init() {
            for k in 0..<Self.kinds {
                for scope in Self.scopes {
                    let file = Self.resourceFile(k, scope)
                    resourceImports[file] = k % 3
                    resourceLevels[file] = 2
                }
            }
        }

        static func resourceFile(_ k: Int, _ scope: String) -> String {
            "resources/kind_\(k)" + (scope.isEmpty ? "" : "_" + scope.replacingOccurrences(of: ".", with: "_")) + ".yaml"
        }

        /// Scopes of their own per kind, so scope permissions differ between kinds without conflict.
        static func scope(_ k: Int, _ scope: String) -> String { scope.isEmpty ? "" : "k\(k)" + scope.dropFirst() }

        func resourcePolicy(_ k: Int, _ scope: String) -> String {
            let file = Self.resourceFile(k, scope)
            let scopeName = Self.scope(k, scope)
            let bound = resourceLevels[file] ?? 2
            let viewExpr = resourceBroken.contains(file) ? "R.attr.level <" : "R.attr.level < C.max_level + \(bound)"
            return """
            apiVersion: api.cerbos.dev/v1
            resourcePolicy:
              resource: kind_\(k)
              version: default
            \(scopeName.isEmpty ? "" : "  scope: \(scopeName)\n")\(parentalConsent.contains(file) ? "  scopePermissions: SCOPE_PERMISSIONS_REQUIRE_PARENTAL_CONSENT_FOR_ALLOWS\n" : "")  importDerivedRoles: [common_\(resourceImports[file] ?? 0)]
              constants:
                import: [ec_\(k % 2)]
              rules:
                - actions: [view]
                  effect: EFFECT_ALLOW
                  roles: [user, manager]
                  condition:
                    match:
                      expr: \(viewExpr)
                - actions: [edit]
                  effect: EFFECT_ALLOW
                  derivedRoles: [owner]
                - actions: [approve]
                  effect: EFFECT_ALLOW
                  derivedRoles: [dept_manager]
                - actions: [delete]
                  effect: EFFECT_DENY
                  roles: ["*"]
                  condition:
                    match:
                      expr: R.attr.locked == true

            """
        }

        func derivedRoles(_ d: Int) -> String {
            let owner = ["R.attr.owner == P.id", "R.attr.owner == P.id || R.attr.level == 1", "R.attr.owner == P.id && !R.attr.locked"][ownerVariant[d]]
            return """
            apiVersion: api.cerbos.dev/v1
            derivedRoles:
              name: common_\(d)
              constants:
                import: [ec_\(d % 2)]
              variables:
                import: [ev_\(d % 2)]
              definitions:
                - name: owner
                  parentRoles: [user]
                  condition:
                    match:
                      expr: \(owner)
                - name: dept_manager
                  parentRoles: [manager]
                  condition:
                    match:
                      expr: V.dept_ok && R.attr.level <= C.max_level

            """
        }

        func exportConstants(_ e: Int) -> String {
            "apiVersion: api.cerbos.dev/v1\nexportConstants:\n  name: ec_\(e)\n  definitions:\n    max_level: \(maxLevel[e])\n"
        }

        func exportVariables(_ e: Int) -> String {
            let expr = ["R.attr.department == P.attr.department", "R.attr.department == P.attr.department || P.attr.department == \"all\""][variableVariant[e]]
            return "apiVersion: api.cerbos.dev/v1\nexportVariables:\n  name: ev_\(e)\n  definitions:\n    dept_ok: \(expr)\n"
        }

        var principalPolicy: String {
            """
            apiVersion: api.cerbos.dev/v1
            principalPolicy:
              principal: p3
              version: default
              variables:
                import: [ev_1]
              rules:
                - resource: kind_0
                  actions:
                    - action: archive
                      effect: EFFECT_ALLOW
                      condition:
                        match:
                          expr: V.dept_ok

            """
        }

        var files: [(path: String, contents: [UInt8])] {
            var result: [(String, String)] = []
            for k in 0..<Self.kinds {
                for scope in Self.scopes { result.append((Self.resourceFile(k, scope), resourcePolicy(k, scope))) }
            }
            for d in 0..<3 { result.append(("derived_roles/common_\(d).yaml", derivedRoles(d))) }
            for e in 0..<2 {
                result.append(("export/ec_\(e).yaml", exportConstants(e)))
                result.append(("export/ev_\(e).yaml", exportVariables(e)))
            }
            result.append(("principals/p3.yaml", principalPolicy))
            return result.compactMap { path, text in
                deleted.contains(path) ? nil : (renamed[path] ?? path, Array(text.utf8))
            }
        }

        /// One random edit.
        mutating func edit(_ random: inout SplitMix) {
            let resourceFiles = resourceImports.keys.sorted()
            let file = resourceFiles[random.next(resourceFiles.count)]
            switch random.next(13) {
            case 0: resourceLevels[file] = random.next(4)
            case 1: resourceImports[file] = random.next(3)
            case 2: ownerVariant[random.next(3)] = random.next(3)
            case 3: maxLevel[random.next(2)] = 1 + random.next(4)
            case 4: variableVariant[random.next(2)] = random.next(2)
            case 5: if resourceBroken.contains(file) { resourceBroken.remove(file) } else { resourceBroken.insert(file) }
            case 6: if !file.contains("_s") || parentalConsent.contains(file) { parentalConsent.remove(file) } else { parentalConsent.insert(file) }
            case 7:
                let all = files.map(\.path)
                deleted.insert(renamed.first { $0.value == all[random.next(all.count)] }?.key ?? all[random.next(all.count)])
            case 8: if let back = deleted.sorted().first { deleted.remove(back) }
            case 9: renamed[file] = renamed[file] == nil ? "moved/" + file : nil
            default:
                // Repair, so that most steps compare two published sets.
                resourceBroken.removeAll()
                deleted.removeAll()
            }
        }
    }

    /// Successive incremental builds, each reusing what the one before decoded and compiled.
    struct Builds {
        let compiler = PolicyCompiler(expressionCompiler: CELExpressionCompiler())
        var decoded = DecodedFiles()
        var cache: CompiledPolicyCache?

        mutating func next(_ files: [(path: String, contents: [UInt8])]) -> PolicyCompiler.Result {
            let (load, decoded) = PolicyLoader.load(files: files, reusing: decoded)
            self.decoded = decoded
            let (result, cache) = compiler.compile(load, sources: decoded, reusing: self.cache)
            if let cache { self.cache = cache }
            return result
        }
    }

    /// A small deterministic generator (SplitMix64).
    struct SplitMix {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    static let requests: [CheckInput] = {
        var inputs: [CheckInput] = []
        let principals = [("p1", ["user"], "d1"), ("p2", ["manager"], "d1"), ("p3", ["user"], "all"), ("p4", ["manager", "user"], "d2")]
        for k in 0..<Model.kinds {
            for scope in Model.scopes {
                for (id, roles, department) in principals {
                    for level in [1, 3, 5] {
                        for locked in [false, true] {
                            let resourceAttr = MapValue(stringKeyed: [
                                ("owner", .string(level == 3 ? id : "p1")), ("level", .int(Int64(level))),
                                ("locked", .bool(locked)), ("department", .string(level == 5 ? "d2" : "d1")),
                            ])
                            inputs.append(input(kind: "kind_\(k)", roles: roles, principal: id,
                                                actions: ["view", "edit", "approve", "delete", "archive"],
                                                resourceAttr: resourceAttr,
                                                principalAttr: MapValue(stringKeyed: [("department", .string(department))]),
                                                resourceScope: Model.scope(k, scope)))
                        }
                    }
                }
            }
        }
        return inputs
    }()

    /// Every decision, effective derived role, output and error of `set` on `requests`, as text.
    static func decisions(_ set: PolicySet) -> [String] {
        let engine = Engine(policySet: set)
        return requests.map { request in
            let output = engine.check(request, now: fixedNow)
            return output.actions.map { "\($0.action)=\($0.effect.effect):\($0.effect.policy):\($0.effect.scope)" }.joined(separator: ",")
                + " roles=\(output.effectiveDerivedRoles.sorted())"
                + " outputs=\(output.outputs.map { "\($0.src)/\($0.action)/\($0.error ?? "")" })"
                + " errors=\(output.evaluationErrors.map(\.message))"
        }
    }

    static func rendered(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.map { "\($0.file):\($0.line):\($0.column) \($0.path) \($0.message)" }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func incrementalCompile_afterRandomEdits_equalsFullCompile(seed: UInt64) {
        var random = SplitMix(state: seed)
        var model = Model()
        var builds = Builds()
        var published = 0
        for step in 0..<40 {
            if step > 0 { model.edit(&random) }
            let files = model.files
            let incremental = builds.next(files)
            let full = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(PolicyLoader.load(files: files))
            #expect(Self.rendered(incremental.diagnostics) == Self.rendered(full.diagnostics), "step \(step)")
            #expect((incremental.policySet == nil) == (full.policySet == nil), "step \(step)")
            if let a = incremental.policySet, let b = full.policySet {
                published += 1
                #expect(Self.decisions(a) == Self.decisions(b), "step \(step)")
                #expect(a.resourceScopes == b.resourceScopes, "step \(step)")
                #expect(a.readsRuntime == b.readsRuntime, "step \(step)")
            }
        }
        // The edits must leave enough valid sets for the comparison to mean something.
        #expect(published >= 10)
    }

    @Test func incrementalCompile_ofOneChangedFile_reusesTheOthersUnchanged() throws {
        var model = Model()
        var builds = Builds()
        let old = try #require(builds.next(model.files).policySet)
        let cached = builds.cache?.count
        let oldIDs = old.allResourcePolicies.flatMap { $0.rules.map(\.id) }.sorted()

        model.resourceLevels[Model.resourceFile(1, "s")] = 0
        let new = try #require(builds.next(model.files).policySet)
        #expect(builds.cache?.count == cached)

        for policy in new.allResourcePolicies {
            let before = try #require(old.resourcePolicy(kind: policy.kind, version: policy.version, scope: policy.scope))
            // Only the edited policy is compiled again; every other one is the same object.
            #expect((before === policy) == !(policy.kind == "kind_1" && policy.scope == "k1"), "\(policy.key)")
        }
        // The serving set's objects kept their ids; the recompiled policy got new ones above them.
        #expect(old.allResourcePolicies.flatMap { $0.rules.map(\.id) }.sorted() == oldIDs)
        let edited = try #require(new.resourcePolicy(kind: "kind_1", version: "default", scope: "k1"))
        #expect(edited.rules.allSatisfy { $0.id >= old.ruleCount })
        #expect(Self.decisions(new) == Self.decisions(try #require(PolicyCompiler(expressionCompiler: CELExpressionCompiler())
            .compile(PolicyLoader.load(files: model.files)).policySet)))
    }

    @Test func incrementalCompile_ofAChangedDerivedRoleSet_recompilesItsImporters() throws {
        var model = Model()
        var builds = Builds()
        let old = try #require(builds.next(model.files).policySet)

        model.ownerVariant[2] = 1
        let new = try #require(builds.next(model.files).policySet)
        for k in 0..<Model.kinds {
            for scope in Model.scopes {
                let (kind, scopeName) = ("kind_\(k)", Model.scope(k, scope))
                let before = try #require(old.resourcePolicy(kind: kind, version: "default", scope: scopeName))
                let after = try #require(new.resourcePolicy(kind: kind, version: "default", scope: scopeName))
                let importsChangedSet = model.resourceImports[Model.resourceFile(k, scope)] == 2
                #expect((before === after) == !importsChangedSet, "\(after.key)")
            }
        }
    }
}
