import ArbiterEngine
import ArbiterPolicy
import CEL
import Testing

/// Clock reads are found by the compiler wrapper, and by outcome probes for sets compiled without it.
@Suite struct VerifyClockTests {
    @Test func clockWatchingCompiler_marksOnlyExpressionsThatCallTheClock() throws {
        let compiler = ClockWatchingCompiler()
        guard case let .success(timed, _) = compiler.compile("timestamp(R.attr.t).timeSince() > duration(\"1h\")"),
              case let .success(plain, _) = compiler.compile("R.attr.t == \"x\"") else {
            Issue.record("expressions did not compile")
            return
        }
        #expect(String(describing: type(of: timed)).contains("ClockWatchingProgram"))
        #expect(!String(describing: type(of: plain)).contains("ClockWatchingProgram"))
    }

    @Test func setCompiledWithoutTheWatcher_stillErrorsWhenTheOutcomeDependsOnTime() throws {
        let load = PolicyLoader.load(files: [(path: "note.yaml", contents: Array(VerifySupport.notePolicy.utf8))])
        let set = try #require(PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(load).policySet)
        let result = TestRunner(policySet: set).run(try VerifySupport.suite(VerifySupport.noteSuite), fixtures: TestFixtures())
        let clock = result.testCases.first { $0.name == "clock without now" }?.principals[0].resources[0].actions[0]
        #expect(clock?.kind == .errored)
        #expect(result.testCases.first { $0.name == "owner writes" }?.principals[0].resources[0].actions.map(\.kind) == [.passed, .passed])
    }
}
