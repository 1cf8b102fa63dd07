import CEL

extension TestResults {
    /// The results as Cerbos's `policy.v1.TestResults` protojson (zero values left out).
    public func jsonText(pretty: Bool = true) -> String {
        JSONText.render(jsonValue(), pretty: pretty, sortKeys: false) + (pretty ? "\n" : "")
    }

    /// The results as a JSON-shaped value.
    public func jsonValue() -> Value {
        Self.object([("suites", .list(suites.map(Self.suite))), ("summary", Self.summary(summary))])
    }

    static func object(_ entries: [(String, Value?)]) -> Value {
        .map(MapValue(stringKeyed: entries.compactMap { key, value in value.map { (key, $0) } }))
    }

    static func nonEmpty(_ s: String?) -> Value? {
        guard let s, !s.isEmpty else { return nil }
        return .string(s)
    }

    static func summary(_ s: TestSummary) -> Value {
        let counts = TestResultKind.allCases.compactMap { kind -> Value? in
            guard let n = s.counts[kind], n > 0 else { return nil }
            return object([("result", .string(kind.protoName)), ("count", .int(Int64(n)))])
        }
        return object([("overallResult", .string(s.overall.protoName)),
                       ("testsCount", s.testsCount > 0 ? .int(Int64(s.testsCount)) : nil),
                       ("resultCounts", counts.isEmpty ? nil : .list(counts))])
    }

    static func suite(_ s: SuiteResult) -> Value {
        object([("file", .string(s.file)), ("name", .string(s.name)), ("summary", summary(s.summary)),
                ("testCases", s.testCases.isEmpty ? nil : .list(s.testCases.map(testCase))),
                ("description", nonEmpty(s.description)), ("error", nonEmpty(s.error)),
                ("skipReason", nonEmpty(s.skipReason))])
    }

    static func testCase(_ t: TestCaseResult) -> Value {
        object([("name", .string(t.name)), ("principals", .list(t.principals.map { p in
            object([("name", .string(p.name)), ("resources", .list(p.resources.map { r in
                object([("name", .string(r.name)), ("actions", .list(r.actions.map(action)))])
            }))])
        }))])
    }

    static func action(_ a: ActionResult) -> Value {
        var details: [(String, Value?)] = [("result", .string(a.kind.protoName))]
        switch a.details {
        case let .passed(effect, outputs):
            details.append(("success", object([("effect", .string(effect.rawValue)),
                                               ("outputs", outputs.isEmpty ? nil : .list(outputs.map(output)))])))
        case let .failed(expected, actual, outputs):
            details.append(("failure", object([("expected", .string(expected.rawValue)), ("actual", .string(actual.rawValue)),
                                               ("outputs", outputs.isEmpty ? nil : .list(outputs.map(outputFailure)))])))
        case let .errored(message):
            details.append(("error", .string(message)))
        case let .skipped(reason):
            details.append(("skipReason", nonEmpty(reason)))
        }
        return object([("name", .string(a.action)), ("details", object(details))])
    }

    static func output(_ o: OutputEntry) -> Value {
        object([("src", .string(o.src)), ("val", o.error == nil ? OutputValue.jsonCompatible(o.value ?? .null) : nil),
                ("action", .string(o.action)), ("error", nonEmpty(o.error))])
    }

    static func outputFailure(_ f: OutputFailure) -> Value {
        switch f.problem {
        case let .mismatched(expected, actual):
            return object([("src", .string(f.src)), ("mismatched", object([("expected", expected), ("actual", actual)]))])
        case let .missing(expected):
            return object([("src", .string(f.src)), ("missing", object([("expected", expected)]))])
        case let .errored(expected, error):
            return object([("src", .string(f.src)), ("errored", object([("expected", expected), ("error", .string(error))]))])
        }
    }
}
