import ArbiterServer
import Testing

@Suite struct ReloadDebounceStateMachineTests {
    let t0 = ContinuousClock.now

    @Test func singleEvent_reloadsAfterQuietPeriod() {
        var m = ReloadDebounceStateMachine(debounce: .milliseconds(200), maxDelay: .seconds(2))
        #expect(m.poll(at: t0) == .wait)
        #expect(m.nextDeadline == nil)
        m.fileSystemEvent(at: t0)
        #expect(m.nextDeadline == t0 + .milliseconds(200))
        #expect(m.poll(at: t0 + .milliseconds(199)) == .wait)
        #expect(m.poll(at: t0 + .milliseconds(200)) == .startReload(reason: "inotify"))
        #expect(m.isReloading)
    }

    @Test func burstOfEvents_isOneReload_afterTheLastEvent() {
        var m = ReloadDebounceStateMachine(debounce: .milliseconds(200), maxDelay: .seconds(2))
        for i in 0..<5 { m.fileSystemEvent(at: t0 + .milliseconds(50 * i)) }
        #expect(m.poll(at: t0 + .milliseconds(390)) == .wait)
        #expect(m.poll(at: t0 + .milliseconds(400)) == .startReload(reason: "inotify"))
        m.reloadFinished()
        #expect(m.poll(at: t0 + .seconds(10)) == .wait)
    }

    @Test func neverPausingWriter_reloadsAtMaximumDelay() {
        var m = ReloadDebounceStateMachine(debounce: .milliseconds(200), maxDelay: .seconds(2))
        var now = t0
        var reloads: [Duration] = []
        while now < t0 + .seconds(5) {
            m.fileSystemEvent(at: now)
            if case .startReload = m.poll(at: now) {
                reloads.append(now - t0)
                m.reloadFinished()
            }
            now += .milliseconds(100)
        }
        #expect(reloads == [.seconds(2), .milliseconds(4100)])
    }

    @Test func forcedReload_startsImmediately_evenWithoutEvents() {
        var m = ReloadDebounceStateMachine()
        m.forceReload(reason: "SIGHUP")
        #expect(m.hasForcedReload)
        #expect(m.poll(at: t0) == .startReload(reason: "SIGHUP"))
        #expect(!m.hasForcedReload)
    }

    @Test func eventsDuringReload_areKept_forTheNextReload() {
        var m = ReloadDebounceStateMachine(debounce: .milliseconds(100), maxDelay: .seconds(1))
        m.fileSystemEvent(at: t0)
        #expect(m.poll(at: t0 + .milliseconds(100)) == .startReload(reason: "inotify"))
        m.fileSystemEvent(at: t0 + .milliseconds(150))
        m.forceReload(reason: "SIGHUP")
        #expect(m.poll(at: t0 + .milliseconds(300)) == .wait)
        #expect(m.nextDeadline == nil)
        m.reloadFinished()
        #expect(m.poll(at: t0 + .milliseconds(310)) == .startReload(reason: "SIGHUP"))
        m.reloadFinished()
        #expect(m.poll(at: t0 + .milliseconds(320)) == .wait)
    }

    @Test func maxDelayShorterThanDebounce_isRaisedToDebounce() {
        let m = ReloadDebounceStateMachine(debounce: .seconds(1), maxDelay: .milliseconds(10))
        #expect(m.maxDelay == .seconds(1))
    }
}
