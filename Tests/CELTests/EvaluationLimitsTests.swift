import Testing
@testable import CEL

/// Every function whose allocation or work a request can drive, driven past the limits by a
/// bound variable: the result is an error value naming the limit, never a crash.
@Suite struct EvaluationLimitsTests {
    /// Small limits, so each case runs in microseconds; `default` gets its own cases below.
    static let small = EvaluationLimits(costLimit: 10_000, maxListSize: 1_000, maxStringSize: 4_096, maxRegexInputSize: 1_024)

    static func eval(_ source: String, _ bindings: [String: Value], limits: EvaluationLimits = small,
                     checked: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) -> Value {
        let base = (checked ? ExtensionEval.environment : ExtensionEval.uncheckedEnvironment).with(limits: limits)
        let env = base.declaring(bindings.keys.sorted().map { VariableDecl($0, .dyn) })
        let compiled = env.compile(source)
        guard let program = compiled.program else {
            Issue.record("`\(source)` did not compile: \(compiled.renderedIssues(source: source))", sourceLocation: sourceLocation)
            return .err("compile failed")
        }
        return program.evaluate(env.makeActivation(bindings))
    }

    static let big = String(repeating: "ab", count: 1_000)  // 2,000 bytes: under the string limit, once
    static let bindings: [String: Value] = [
        "n": .int(1_000_000_000_000), "small": .int(10), "s": .string(big), "b": .bytes(Array(big.utf8)),
        "l": .list((0..<600).map { .int($0) }), "words": .list(Array(repeating: .string(big), count: 3)),
    ]

    @Test(arguments: [
        // Allocation sized by the input, admitted before it is made.
        ("lists.range(int(n)).size() > 0", "list size limit"),
        ("lists.range(n).size() > 0", "list size limit"),
        ("s + s + s", "string size limit"),
        ("b + b + b", "string size limit"),
        ("l + l", "list size limit"),
        ("[l, l].flatten()", "list size limit"),
        ("[[l], [l]].flatten(2)", "list size limit"),
        ("words.join()", "string size limit"),
        ("words.join(',')", "string size limit"),
        ("s.replace('a', 'aaaa')", "string size limit"),
        ("s.replace('', 'xx')", "string size limit"),
        ("'%s%s%s'.format([s, s, s])", "string size limit"),
        ("'%s'.format([words])", "string size limit"),
        ("strings.quote(s + s.substring(0, 100))", "string size limit"),
        ("s.split('') .size()", "list size limit"),
        ("base64.encode(b + b)", "string size limit"),
        ("json.encode(words)", "string size limit"),
        ("regex.replace(s.substring(0, 1000), 'a', '$0$0$0$0$0')", "string size limit"),
        ("s.matches('b$')", "regex input size limit"),
        ("regex.extract(s, 'b$')", "regex input size limit"),
        ("regex.extractAll(s, 'b')", "regex input size limit"),
        ("l.map(x, 'a'.matches(s.substring(0, 900))).size()", "cost limit"),
        ("l.map(x, regex.extract('a', s.substring(0, 900))).size()", "cost limit"),
        ("[l, l].flatten()", "list size limit"),
        ("l.map(x, l).flatten().size()", "list size limit"),
        // Work repeated by comprehensions: the cost limit.
        ("lists.range(int(small) * 100).map(x, lists.range(int(small) * 100)).size()", "cost limit"),
        ("l.all(x, l.all(y, x + y >= 0))", "cost limit"),
        ("l.exists(x, l.exists(y, x < 0))", "cost limit"),
        ("l.filter(x, l.filter(y, y > x).size() > 0).size()", "cost limit"),
        ("l.exists(x, x in words && false) || l.exists(x, l.exists(y, -1 in l))", "cost limit"),
        ("l.map(x, s.size()).size()", "cost limit"),
        ("l.map(x, s.indexOf('z')).size()", "cost limit"),
        ("l.map(x, s.lowerAscii()).size()", "cost limit"),
        ("l.transformMap(k, v, v).size() + l.transformMap(k, v, v).size()", "cost limit"),
        ("(l + l.slice(0, 300)).distinct().size()", "cost limit"),
        ("l.map(x, l.sort()).size()", "cost limit"),
        ("l.map(x, l.reverse()).size()", "cost limit"),
        ("l.map(x, s.contains('zz')).size()", "cost limit"),
        ("l.map(x, l == l).size()", "cost limit"),
        ("l.map(x, sets.intersects(l, [-1])).size() + (sets.contains(l + l, l + l) ? 1 : 0)", "cost limit"),
        ("sets.equivalent(l + l.slice(0, 400), l + l.slice(0, 400))", "cost limit"),
        ("[1, 2].map(x, s.contains(s.substring(0, 1500) + 'z')).size()", "cost limit"),
        ("[1, 2].map(x, s.indexOf(s.substring(0, 1500) + 'z')).size()", "cost limit"),
        ("[1, 2, 3, 4, 5].map(x, s.split(s.substring(0, 1500))).size()", "cost limit"),
    ])
    func boundedInput_pastTheLimits_isAnErrorValue(source: String, limit: String) {
        for checked in [true, false] {
            let result = Self.eval(source, Self.bindings, checked: checked)
            guard case let .error(e) = result else {
                Issue.record("`\(source)` (checked: \(checked)) gave \(result), not an error"); continue
            }
            #expect(e.message.contains(limit), "`\(source)`: \(e.message)")
        }
    }

    @Test(arguments: [
        ("lists.range(small).size()", Value.int(10)),
        ("s.size()", .int(2_000)),
        ("words.size()", .int(3)),
        ("l.exists(x, x == 599)", .bool(true)),
        ("l.map(x, x * 2).size()", .int(600)),
        ("[s, s].join().size()", .int(4_000)),
    ])
    func boundedInput_withinTheLimits_evaluates(source: String, expected: Value) {
        #expect(Self.eval(source, Self.bindings) == expected)
    }

    @Test func killerExpression_underDefaultLimits_isAnErrorNotAnAbort() {
        let result = Self.eval("lists.range(int(R.attr.n)).size() > 0",
                               ["R": .map(MapValue(stringKeyed: [("attr", .map(MapValue(stringKeyed: [("n", .double(1e12))])))]))],
                               limits: .default)
        guard case let .error(e) = result else { Issue.record("gave \(result)"); return }
        #expect(e.message.contains("1000000000000 elements"))
    }

    @Test func nestedComprehension_underDefaultLimits_stopsAtTheCostLimit() {
        let result = Self.eval("lists.range(2000).all(x, lists.range(2000).all(y, y >= 0))", [:], limits: .default)
        guard case let .error(e) = result else { Issue.record("gave \(result)"); return }
        #expect(e.message.contains("cost limit"))
    }

    @Test func doublingThroughBind_underDefaultLimits_stopsAtALimit() {
        var source = "s"
        for i in 0..<20 { source = "cel.bind(v\(i), \(source), v\(i) + v\(i))" }
        guard case let .error(e) = Self.eval(source, Self.bindings, limits: .default) else {
            Issue.record("did not fail"); return
        }
        // 2,000 bytes doubled 13 times is 16 MiB: its copies pass the cost limit first.
        #expect(e.message.contains("limit exceeded"))
    }

    @Test func constantFolding_pastTheLimits_foldsToTheError() {
        let env = ExtensionEval.environment.with(limits: Self.small)
        let program = env.compile("lists.range(1000000000000)").program
        guard case let .error(e)? = program?.constantResult else { Issue.record("not folded to an error"); return }
        #expect(e.message.contains("list size limit"))
    }

    @Test func exhaustedBudget_staysExhausted() {
        var budget = EvaluationBudget(EvaluationLimits(costLimit: 10, maxListSize: 10, maxStringSize: 10, maxRegexInputSize: 10))
        #expect(budget.charge(10) == nil)
        #expect(budget.charge(1) != nil)
        #expect(budget.charge(0) != nil)
        #expect(budget.charge(Int.max) != nil)
        #expect(budget.remaining < 0)
    }

    @Test func limitsBelowOne_areProblems() {
        let limits = EvaluationLimits(costLimit: 0, maxListSize: 1, maxStringSize: -1, maxRegexInputSize: 5)
        #expect(limits.problems(prefix: "engine.cel.") == [
            "engine.cel.costLimit must be at least 1, got 0", "engine.cel.maxStringSize must be at least 1, got -1",
        ])
        #expect(EvaluationLimits.default.problems().isEmpty)
        var request = EvaluationLimits.default
        request.requestCostLimit = 0
        #expect(request.problems() == ["requestCostLimit must be at least 1, got 0"])
    }

    // MARK: one budget for a host request

    static func requestProgram(_ source: String) -> (Program, Activation)? {
        let env = ExtensionEval.environment.with(limits: small).declaring([VariableDecl("l", .dyn)])
        guard let program = env.compile(source).program else { return nil }
        return (program, env.makeActivation(["l": .list((0..<600).map { .int($0) })]))
    }

    @Test func requestBudget_isChargedWhatEachEvaluationSpends_andStopsLaterOnesOnceSpent() throws {
        let (program, activation) = try #require(Self.requestProgram("l.all(x, x >= 0)"))
        var budget = 1_500
        #expect(withUnsafePointer(to: activation) { program.evaluate(activationAt: $0, requestBudget: &budget) } == .bool(true))
        #expect(budget == 900)
        #expect(withUnsafePointer(to: activation) { program.evaluate(activationAt: $0, requestBudget: &budget) } == .bool(true))
        #expect(budget == 300)
        let third = withUnsafePointer(to: activation) { program.evaluate(activationAt: $0, requestBudget: &budget) }
        guard case let .error(e) = third else { Issue.record("not an error: \(third)"); return }
        #expect(e.message.contains("(request cost limit)"))
        #expect(budget == 0)
        // Spent stays spent: an evaluation that charges anything fails at once.
        let fourth = withUnsafePointer(to: activation) { program.evaluate(activationAt: $0, requestBudget: &budget) }
        if case .error = fourth {} else { Issue.record("not an error: \(fourth)") }
        #expect(budget == 0)
    }

    @Test func requestBudget_aboveTheCostLimit_leavesEachEvaluationItsOwnLimit() throws {
        let (program, activation) = try #require(Self.requestProgram("l.all(x, l.all(y, y >= 0))"))
        var budget = 1_000_000
        let result = withUnsafePointer(to: activation) { program.evaluate(activationAt: $0, requestBudget: &budget) }
        guard case let .error(e) = result else { Issue.record("not an error: \(result)"); return }
        #expect(e.message.contains("(cost limit)") && !e.message.contains("request"))
        #expect(budget == 1_000_000 - Self.small.costLimit)
    }

    @Test func evaluationsThatChargeNothing_runOnASpentRequestBudget() throws {
        let (program, activation) = try #require(Self.requestProgram("size(l) == 600"))
        var budget = 0
        #expect(withUnsafePointer(to: activation) { program.evaluate(activationAt: $0, requestBudget: &budget) } == .bool(true))
        #expect(budget == 0)
    }
}
