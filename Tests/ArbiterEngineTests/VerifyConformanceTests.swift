import ArbiterEngine
import ArbiterPolicy
import ArbiterYAML
import CEL
import Testing

/// Runs Cerbos's verify cases (spec §6): txtar suites against the shared store, compared with
/// the golden `TestResults` by result kind and effect for every action.
@Suite(.serialized) struct VerifyConformanceTests {
    /// Cases known to differ from their golden, each with the reason.
    static let knownFailures: [String: String] = [:]

    struct Comparison {
        var matched = 0
        var total = 0
        var mismatches: [String] = []

        mutating func check(_ ok: Bool, _ what: @autoclosure () -> String) {
            total += 1
            if ok { matched += 1 } else { mismatches.append(what()) }
        }
    }

    static func string(_ v: Value?) -> String? {
        if case let .string(s)? = v { return s }
        return nil
    }

    static func list(_ v: Value?) -> [Value] {
        if case let .list(items)? = v { return items }
        return []
    }

    static func map(_ v: Value?) -> MapValue? {
        if case let .map(m)? = v { return m }
        return nil
    }

    /// The golden's action results keyed `test/principal/resource/action` → (kind, effect or expected/actual).
    static func goldenActions(_ suite: MapValue) -> [(String, String, String)] {
        var out: [(String, String, String)] = []
        for tc in list(suite[string: "testCases"]) {
            guard let tc = map(tc) else { continue }
            for p in list(tc[string: "principals"]) {
                guard let p = map(p) else { continue }
                for r in list(p[string: "resources"]) {
                    guard let r = map(r) else { continue }
                    for a in list(r[string: "actions"]) {
                        guard let a = map(a), let details = map(a[string: "details"]) else { continue }
                        let key = [tc[string: "name"], p[string: "name"], r[string: "name"], a[string: "name"]]
                            .map { string($0) ?? "?" }.joined(separator: "/")
                        var effect = ""
                        if let s = map(details[string: "success"]) { effect = string(s[string: "effect"]) ?? "" }
                        if let f = map(details[string: "failure"]) {
                            effect = "\(string(f[string: "expected"]) ?? "")->\(string(f[string: "actual"]) ?? "")"
                        }
                        out.append((key, string(details[string: "result"]) ?? "", effect))
                    }
                }
            }
        }
        return out
    }

    static func ourActions(_ suite: SuiteResult) -> [String: (String, String)] {
        var out: [String: (String, String)] = [:]
        for tc in suite.testCases {
            for p in tc.principals {
                for r in p.resources {
                    for a in r.actions {
                        var effect = ""
                        switch a.details {
                        case let .passed(e, _): effect = e.rawValue
                        case let .failed(e, got, _): effect = "\(e.rawValue)->\(got.rawValue)"
                        default: break
                        }
                        out["\(tc.name)/\(p.name)/\(r.name)/\(a.action)"] = (a.kind.protoName, effect)
                    }
                }
            }
        }
        return out
    }

    static func filter(_ config: MapValue?) throws -> TestFilter {
        var filter = TestFilter()
        if let pattern = string(config?[string: "includedTestNamesRegexp"]) { filter.includedTestNames = try RE2Regex(pattern) }
        filter.excludedResourcePolicyFQNs = Set(list(config?[string: "excludedResourcePolicyFqns"]).compactMap(string))
        filter.excludedPrincipalPolicyFQNs = Set(list(config?[string: "excludedPrincipalPolicyFqns"]).compactMap(string))
        return filter
    }

    @Test func verifyCases_matchCerbosGoldens() throws {
        let dir = ConformanceData.root + "/cerbos/verify/cases"
        guard ConformanceData.exists(dir) else {
            Issue.record("conformance data not found at \(dir); set \(ConformanceData.variable) to the conformance folder")
            return
        }
        guard let set = VerifySupport.store.0 else {
            Issue.record("store failed to compile: \(VerifySupport.store.1.map(\.description).joined(separator: "\n"))")
            return
        }
        var overall = Comparison()
        var unexpected: [String] = []
        let cases = ConformanceData.files(in: dir)
        #expect(!cases.isEmpty, "no verify cases found in \(dir)")
        for name in cases {
            guard let spec = Self.map(try VerifySupport.readValue(dir + "/" + name)),
                  let inputBytes = ConformanceData.read(dir + "/" + name + ".input") else {
                Issue.record("\(name): cannot read the case or its .input")
                continue
            }
            let wantErr = Self.string(spec[string: "wantErr"]).map { !$0.isEmpty } ?? false
            let root = VerifySupport.temporaryDirectory()
            defer { VerifySupport.remove(root) }
            VerifySupport.write(VerifySupport.txtar(String(decoding: inputBytes, as: UTF8.self)), under: root)
            let runner = TestRunner(policySet: set, filter: try Self.filter(Self.map(spec[string: "config"])))
            let results = runner.run(directory: root)
            var comparison = Comparison()
            if wantErr {
                comparison.check(!results.succeeded, "expected the run to fail")
            } else if let goldenBytes = ConformanceData.read(dir + "/" + name + ".golden"),
                      let golden = Self.map(try VerifyGoldenJSON.parse(goldenBytes)) {
                compare(results, golden, into: &comparison)
            } else {
                Issue.record("\(name): cannot read the golden")
                continue
            }
            print("verify \(name): \(comparison.matched)/\(comparison.total)")
            overall.matched += comparison.matched
            overall.total += comparison.total
            if !comparison.mismatches.isEmpty {
                if let reason = Self.knownFailures[name] {
                    print("  known failure: \(reason)")
                } else {
                    unexpected.append("\(name): " + comparison.mismatches.joined(separator: "; "))
                }
            }
        }
        print("verify overall: \(overall.matched)/\(overall.total)")
        #expect(unexpected.isEmpty, "\(unexpected.joined(separator: "\n"))")
    }

    func compare(_ results: TestResults, _ golden: MapValue, into c: inout Comparison) {
        let wantSummary = Self.map(golden[string: "summary"])
        c.check(Self.string(wantSummary?[string: "overallResult"]) == results.summary.overall.protoName,
                "overall \(results.summary.overall.protoName), want \(Self.string(wantSummary?[string: "overallResult"]) ?? "?")")
        let goldenSuites = Self.list(golden[string: "suites"]).compactMap(Self.map)
        c.check(goldenSuites.count == results.suites.count,
                "\(results.suites.count) suites (\(results.suites.map(\.file))), want \(goldenSuites.count)")
        for want in goldenSuites {
            let file = Self.string(want[string: "file"]) ?? "?"
            guard let got = results.suites.first(where: { $0.file == file }) else {
                c.check(false, "suite \(file) missing")
                continue
            }
            let wantOverall = Self.string(Self.map(want[string: "summary"])?[string: "overallResult"]) ?? "?"
            c.check(wantOverall == got.summary.overall.protoName,
                    "\(file) overall \(got.summary.overall.protoName), want \(wantOverall) \(got.error ?? "")")
            c.check((want[string: "error"] != nil) == (got.error != nil),
                    "\(file) error \(got.error ?? "none"), want \(Self.string(want[string: "error"]) ?? "none")")
            let ours = Self.ourActions(got)
            let theirs = Self.goldenActions(want)
            c.check(ours.count == theirs.count, "\(file) has \(ours.count) action results, want \(theirs.count)")
            for (key, kind, effect) in theirs {
                guard let mine = ours[key] else {
                    c.check(false, "\(file) \(key) missing")
                    continue
                }
                c.check(mine.0 == kind && mine.1 == effect, "\(file) \(key): \(mine.0) \(mine.1), want \(kind) \(effect)")
            }
        }
    }
}
