import ArbiterServer
import Testing

@Suite struct LogLimitTests {
    @Test func limiter_writesABurstPerInterval_thenReportsHowManyItDropped() {
        let limiter = LogRateLimiter(burst: 2, interval: .seconds(10))
        let t0 = ContinuousClock.now
        #expect(limiter.admit("bad frame", at: t0) == 0)
        #expect(limiter.admit("bad frame", at: t0 + .seconds(1)) == 0)
        for i in 0..<97 { #expect(limiter.admit("bad frame", at: t0 + .milliseconds(2000 + i)) == nil) }
        // Another kind has its own budget.
        #expect(limiter.admit("accept failed", at: t0 + .seconds(3)) == 0)
        // The next window's first line carries the count of the lines dropped before it.
        #expect(limiter.admit("bad frame", at: t0 + .seconds(10)) == 97)
        #expect(limiter.admit("bad frame", at: t0 + .seconds(11)) == 0)
    }

    @Test func excerpt_cutsLongLinesAndManyLines_sayingHowMuchIsLeftOut() {
        let expression = String(repeating: "a", count: 2_000_000)
        let diagnostic = "p.yaml:3:9: syntax error\n  expr: \(expression)\n  ^"
        let short = LogExcerpt.of(diagnostic)
        #expect(short.utf8.count < 1000)
        #expect(short.hasPrefix("p.yaml:3:9: syntax error\n  expr: aaa"))
        #expect(short.contains("… (\(2_000_008 - LogExcerpt.maxLineBytes) more bytes)"), "\(short.suffix(80))")
        #expect(short.hasSuffix("\n  ^"))
        let many = (1...30).map { "line \($0)" }.joined(separator: "\n")
        #expect(LogExcerpt.of(many).hasSuffix("line 20\n… (10 more lines)"))
        #expect(LogExcerpt.of("short\ntext") == "short\ntext")
    }
}
