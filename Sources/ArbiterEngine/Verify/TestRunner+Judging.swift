import CEL

extension TestRunner {
    /// Instants a test without a pinned `now` runs at. The first is the sentinel that makes
    /// clock-reading expressions of a `ClockWatchingCompiler` set fail visibly; the others (the
    /// wall clock, the epoch, the far future) catch sets compiled without it: any difference in
    /// the outcome means a policy read the time.
    static func probeInstants() -> [Timestamp] {
        [ClockWatchingCompiler.sentinelInstant, Engine.currentTime(), Timestamp(seconds: 0, nanos: 0),
         Timestamp(seconds: 253_402_300_799, nanos: 0)]
    }

    static func readClock(_ output: CheckOutput) -> Bool {
        output.evaluationErrors.contains { $0.message.contains(ClockWatchingCompiler.clockUsedMessage) }
            || output.outputs.contains { $0.error?.contains(ClockWatchingCompiler.clockUsedMessage) ?? false }
    }

    /// Checks one principal/resource pair and compares every action with what was expected.
    func judge(engine: Engine, input: CheckInput, now: Timestamp?, expectation: TestPlan.PairExpectation) -> [ActionResult] {
        let output: CheckOutput
        if let now {
            output = engine.check(input, now: now)
        } else {
            let outputs = Self.probeInstants().map { engine.check(input, now: $0) }
            let first = Self.fingerprint(outputs[0])
            if Self.readClock(outputs[0]) || outputs.dropFirst().contains(where: { Self.fingerprint($0) != first }) {
                return input.actions.map { ActionResult(action: $0, details: .errored(Self.timeUsedError)) }
            }
            output = outputs[0]
        }
        return input.actions.map { action in
            let actual = output.effect(for: action)?.effect ?? .deny
            let expected = expectation.effects[action] ?? .deny
            let produced = output.outputs.filter { $0.action == action }
            if actual != expected {
                return ActionResult(action: action, details: .failed(expected: expected, actual: actual, outputs: []))
            }
            let failures = Self.outputFailures(expected: expectation.outputs[action] ?? [], produced: produced)
            if !failures.isEmpty {
                return ActionResult(action: action, details: .failed(expected: expected, actual: actual, outputs: failures))
            }
            return ActionResult(action: action, details: .passed(effect: actual, outputs: produced))
        }
    }

    static func outputFailures(expected: [TestTable.ExpectedOutput], produced: [OutputEntry]) -> [OutputFailure] {
        var failures: [OutputFailure] = []
        for want in expected {
            guard let got = produced.last(where: { $0.src == want.src }) else {
                failures.append(OutputFailure(src: want.src, problem: .missing(expected: want.value)))
                continue
            }
            if let error = got.error {
                failures.append(OutputFailure(src: want.src, problem: .errored(expected: want.value, error: error)))
            } else {
                let actual = OutputValue.jsonCompatible(got.value ?? .null)
                if !JSONText.equal(actual, want.value) {
                    failures.append(OutputFailure(src: want.src, problem: .mismatched(expected: want.value, actual: actual)))
                }
            }
        }
        return failures
    }

    /// Everything observable about a check, as text, to compare runs at different instants.
    static func fingerprint(_ output: CheckOutput) -> String {
        var text = ""
        for (action, effect) in output.actions { text += "\(action)=\(effect.effect.rawValue)@\(effect.policy)/\(effect.scope);" }
        for entry in output.outputs {
            text += "\(entry.src)|\(entry.action)|\(entry.value.map { JSONText.render(OutputValue.jsonCompatible($0)) } ?? "")|\(entry.error ?? "");"
        }
        for error in output.evaluationErrors { text += "\(error.expression)|\(error.message);" }
        return text
    }
}
