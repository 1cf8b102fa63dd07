import Testing
@testable import CEL

@Suite struct TimeTests {
    @Test(arguments: [
        ("2009-02-13T23:31:30Z", Int64(1_234_567_890), Int32(0)),
        ("0001-01-01T00:00:00Z", Timestamp.minSeconds, 0),
        ("9999-12-31T23:59:59.999999999Z", Timestamp.maxSeconds, 999_999_999),
        ("2009-02-13T23:31:30.5+01:00", 1_234_564_290, 500_000_000),
    ])
    func rfc3339_parsesToEpochSeconds(text: String, seconds: Int64, nanos: Int32) {
        #expect(Timestamp(rfc3339: text) == Timestamp(seconds: seconds, nanos: nanos))
    }

    @Test func rfc3339_formatsWithTrimmedNanos() {
        #expect(Timestamp(seconds: 1_234_567_890, nanos: 120_000_000).rfc3339 == "2009-02-13T23:31:30.12Z")
        #expect(Timestamp(seconds: Timestamp.minSeconds).rfc3339 == "0001-01-01T00:00:00Z")
    }

    @Test(arguments: [
        ("1h", Int64(3600), Int32(0)), ("-1.5h", -5400, 0), ("100ms", 0, 100_000_000), ("1m30s", 90, 0),
        ("0", 0, 0), ("1.000000001s", 1, 1), ("-999999999ns", 0, -999_999_999),
    ])
    func goDuration_parses(text: String, seconds: Int64, nanos: Int32) {
        #expect(CELDuration(goSyntax: text) == CELDuration(seconds: seconds, nanos: nanos))
    }

    @Test(arguments: ["", "1", "1x", "h", "320000000000s"])
    func goDuration_rejectsBadInput(text: String) {
        #expect(CELDuration(goSyntax: text) == nil)
    }

    @Test func parts_giveCalendarFieldsAtOffsets() {
        let t = Timestamp(seconds: 1_234_567_890)
        let p = t.parts(offset: 0)
        #expect([p.year, p.month, p.day, p.hour, p.minute, p.second, p.dayOfWeek, p.dayOfYear] == [2009, 2, 13, 23, 31, 30, 5, 43])
        let sydney = TimeZoneOffset.seconds(for: "Australia/Sydney", at: t).map { t.parts(offset: $0).day }
        #expect(sydney == 14)
        #expect(TimeZoneOffset.seconds(for: "-02:30", at: t) == -9000)
        #expect(TimeZoneOffset.seconds(for: "Not/AZone", at: t) == nil)
    }
}

@Suite struct HostileTimeInputTests {
    @Test(arguments: [
        "timestamp('2009-02-13T23:31:30.1234567890123Z')",
        "duration('9223372036854775807s999999999999ms')",
        "duration('99999999999999999999h')",
        "duration('-9223372036s') - duration('9223372036s')",
        "timestamp('9999-12-31T23:59:59Z') - timestamp('0001-01-01T00:00:00Z')",
    ])
    func hostileTimeExpressions_evaluateWithoutTrapping(source: String) {
        let program = Environment().compile(source).program
        #expect(program != nil)
        _ = program?.evaluate()
    }

    @Test func outOfRangeHostTimestamp_accessorsAreErrors() {
        let env = Environment(declaring: [VariableDecl("t", .timestamp), VariableDecl("d", .duration)])
        let farOut = Value.timestamp(Timestamp(seconds: .max, nanos: 0))
        for source in ["t.getHours()", "t.getHours('Europe/Paris')", "string(t)"] {
            guard case .error = env.compile(source).program?.evaluate(["t": farOut]) else {
                Issue.record("\(source) should be an error"); continue
            }
        }
        let huge = Value.duration(CELDuration(seconds: .max, nanos: 0))
        guard case .error = env.compile("d.getMilliseconds()").program?.evaluate(["d": huge]) else {
            Issue.record("overflowing duration accessor should be an error"); return
        }
    }

    @Test func fractionBeyondNanoseconds_isTruncated() {
        #expect(Timestamp(rfc3339: "2009-02-13T23:31:30.1234567899Z") == Timestamp(seconds: 1_234_567_890, nanos: 123_456_789))
    }
}
