import ArbiterPolicy
import CEL
import Testing

struct CerbosCELTimeTests {
    @Test(arguments: [
        #"now() == timestamp("2021-04-22T10:05:20.021-05:00")"#,
        "now() == now()",
        #"timeSince(timestamp("2021-04-20T10:05:20.021-05:00")) == duration("48h")"#,
        #"timestamp("2021-04-20T10:05:20.021-05:00").timeSince() == duration("48h")"#,
        #"timestamp("2021-04-23T10:05:20.021-05:00").timeSince() == duration("-24h")"#,
        #"timestamp("0001-01-01T00:00:00Z").timeSince() == duration("2562047h47m16.854775807s")"#,
    ])
    func timeExpression_holds(_ source: String) {
        let v = CerbosCEL.eval(source)
        #expect(CerbosCEL.isTrue(v), "\(source) gave \(v)")
    }

    @Test func now_isReadPerEvaluation_notFoldedAtCompileTime() throws {
        let program = try CerbosCEL.compile("now()").get()
        let later = Timestamp(seconds: CerbosCEL.pinnedNow.seconds + 3600, nanos: 0)
        guard case let .timestamp(a) = program.evaluate(CerbosCEL.bindings()),
              case let .timestamp(b) = program.evaluate(CerbosCEL.bindings(now: later)) else {
            Issue.record("now() did not return timestamps")
            return
        }
        #expect(a == CerbosCEL.pinnedNow)
        #expect(b == later)
    }

    @Test func timeSince_ofAConstant_isReadPerEvaluation() throws {
        let program = try CerbosCEL.compile(#"timeSince(timestamp("2021-04-22T10:05:20.021-05:00"))"#).get()
        let later = Timestamp(seconds: CerbosCEL.pinnedNow.seconds + 60, nanos: CerbosCEL.pinnedNow.nanos)
        guard case let .duration(a) = program.evaluate(CerbosCEL.bindings()),
              case let .duration(b) = program.evaluate(CerbosCEL.bindings(now: later)) else {
            Issue.record("timeSince did not return durations")
            return
        }
        #expect(a == CELDuration(seconds: 0))
        #expect(b == CELDuration(seconds: 60))
    }

    @Test(arguments: [#"duration("1x") > duration("1s")"#, #"timestamp("yesterday") < now()"#, #""a".matches("(")"#])
    func invalidLiteral_isACompileError(_ source: String) {
        guard case .failure = CerbosCEL.compile(source) else {
            Issue.record("\(source) compiled")
            return
        }
    }

    @Test func timeSince_ofANonTimestamp_isACompileError() {
        guard case .failure = CerbosCEL.compile("timeSince(1)") else {
            Issue.record("expected a compile error")
            return
        }
    }

    @Test func identity_returnsItsArgument() {
        #expect(CerbosCEL.isTrue(CerbosCEL.eval("id([1, 'a']) == [1, 'a'] && id(P.attr.x) == 3.0",
                                                CerbosCEL.bindings(principalAttr: [("x", .double(3))]))))
    }
}
