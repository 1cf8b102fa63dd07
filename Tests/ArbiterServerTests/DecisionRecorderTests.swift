#if canImport(Glibc)
import Glibc
#endif
import ArbiterEngine
import ArbiterJSON
import ArbiterServer
import CEL
import Foundation
import Logging
import Testing

/// Decision and access entries: made from exactly the request answered, in Cerbos's format,
/// filtered as configured, and never in the way of a decision.
@Suite struct DecisionRecorderTests {
    static let logger = Logger(label: "recorder-test")

    /// A dispatcher deciding `DaemonChild.policy` at generation 1, auditing to `path`.
    func dispatcher(_ dir: TemporaryDirectory, audit: AuditConfiguration, path: String) async throws
        -> (RPCDispatcher<EngineDecisionService>, DecisionRecorder) {
        let policies = dir.path + "/policies"
        mkdir(policies, 0o755)
        try writeFile(policies + "/document.yaml", DaemonChild.policy)
        let engine = try await EngineCompilation.compiler(configuration: EngineConfiguration())(policies).snapshot
        let store = PolicyStore<Engine>()
        store.publish(engine, policyCount: 1, record: ReloadRecord(
            time: Timestamp(seconds: 0), outcome: .success, diagnostics: [], durationMilliseconds: 0, trigger: "test"))
        var config = audit
        config.enabled = true
        config.filePath = path
        let recorder = try #require(try DecisionRecorder.make(config, logger: Self.logger))
        var d = RPCDispatcher(service: EngineDecisionService(), store: store,
                              identity: ServerIdentity(version: "t", build: "t"), logger: Self.logger)
        d.recorder = recorder
        return (d, recorder)
    }

    func call(_ d: RPCDispatcher<EngineDecisionService>, _ frame: String, peer: AuditPeer? = nil) throws -> MapValue {
        var w = JSONWriter()
        let answered = Array(frame.utf8).withUnsafeBytes { d.handle($0, peer: peer, into: &w) }
        try #require(answered)
        guard case let .map(m) = try JSONReader.parse(w.bytes) else { throw TestSetupError("response is not an object") }
        return m
    }

    func entries(_ path: String) throws -> [MapValue] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard case let .map(m) = try JSONReader.parse(Array(line.utf8)) else { throw TestSetupError("entry is not an object: \(line)") }
            return m
        }
    }

    func field(_ m: MapValue, _ path: String...) -> Value? {
        var current: Value = .map(m)
        for key in path {
            if let i = Int(key), case let .list(items) = current, i < items.count { current = items[i]; continue }
            guard case let .map(mm) = current, let next = mm[string: key] else { return nil }
            current = next
        }
        return current
    }

    static let check = #"{"jsonrpc":"2.0","id":1,"method":"CheckResources","params":{"requestId":"r1","principal":{"id":"alice","roles":["user"]},"resources":[{"actions":["view","edit"],"resource":{"kind":"document","id":"d1","attr":{"owner":"alice"}}}]}}"#

    @Test(arguments: [true, false])
    func checkEntry_matchesRequestAndResponse_fieldByField(decodedPath: Bool) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        var audit = AuditConfiguration()
        audit.decisionLogsEnabled = true
        let path = dir.path + "/audit.log"
        let (d, recorder) = try await dispatcher(dir, audit: audit, path: path)
        // A member order the decoded path refuses (params before method) takes the Value path.
        let frame = decodedPath ? Self.check
            : #"{"jsonrpc":"2.0","id":1,"params":{"requestId":"r1","principal":{"id":"alice","roles":["user"]},"resources":[{"actions":["view","edit"],"resource":{"kind":"document","id":"d1","attr":{"owner":"alice"}}}]},"method":"CheckResources"}"#
        let peer = AuditPeer.unix(path: "/run/a.sock", credentials: PeerCredentials(pid: getpid(), uid: getuid(), gid: getgid()))
        let response = try call(d, frame, peer: peer)
        await recorder.close()
        guard case let .string(callID)? = field(response, "result", "cerbosCallId") else {
            Issue.record("no cerbosCallId in \(response)")
            return
        }
        #expect(callID.count == 26)
        // The client did not ask for meta: the audit's forced meta must not leak into the answer.
        #expect(field(response, "result", "results", "0", "meta") == nil)
        let logged = try entries(path)
        try #require(logged.count == 1)
        let e = logged[0]
        #expect(field(e, "callId") == .string(callID))
        #expect(field(e, "policyGeneration") == .double(1))
        #expect(field(e, "peer", "address") == .string("unix:/run/a.sock"))
        #expect(field(e, "peer", "pid") == .double(Double(getpid())))
        #expect(field(e, "peer", "uid") == .double(Double(getuid())))
        #expect(field(e, "peer", "executable") != nil)
        #expect(field(e, "checkResources", "inputs", "0", "requestId") == .string("r1"))
        #expect(field(e, "checkResources", "inputs", "0", "principal", "id") == .string("alice"))
        #expect(field(e, "checkResources", "inputs", "0", "resource", "kind") == .string("document"))
        #expect(field(e, "checkResources", "inputs", "0", "resource", "attr", "owner") == .string("alice"))
        #expect(field(e, "checkResources", "inputs", "0", "actions") == .list([.string("view"), .string("edit")]))
        #expect(field(e, "checkResources", "outputs", "0", "resourceId") == .string("d1"))
        #expect(field(e, "checkResources", "outputs", "0", "actions", "view", "effect") == .string("EFFECT_ALLOW"))
        #expect(field(e, "checkResources", "outputs", "0", "actions", "view", "policy") == .string("resource.document.vdefault"))
        #expect(field(e, "checkResources", "outputs", "0", "actions", "edit", "effect") == .string("EFFECT_DENY"))
        // Each logged effect is the one answered.
        for action in ["view", "edit"] {
            #expect(field(e, "checkResources", "outputs", "0", "actions", action, "effect")
                    == field(response, "result", "results", "0", "actions", action))
        }
        #expect(field(e, "auditTrail", "effectivePolicies", "resource.document.vdefault") != nil)
        guard case let .string(ts)? = field(e, "timestamp") else { Issue.record("no timestamp"); return }
        #expect(ts.hasSuffix("Z") && ts.count == 30, "\(ts)")
    }

    @Test func ignoreAllowAll_skipsAllAllowed_butLogsADeny() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        var audit = AuditConfiguration()
        audit.decisionLogsEnabled = true
        audit.ignoreAllowAll = true
        let path = dir.path + "/audit.log"
        let (d, recorder) = try await dispatcher(dir, audit: audit, path: path)
        _ = try call(d, Self.check.replacingOccurrences(of: #"["view","edit"]"#, with: #"["view"]"#))
        _ = try call(d, Self.check)
        await recorder.close()
        let logged = try entries(path)
        #expect(logged.count == 1)
        #expect(field(logged[0], "checkResources", "outputs", "0", "actions", "edit", "effect") == .string("EFFECT_DENY"))
    }

    static let plan = #"{"jsonrpc":"2.0","id":2,"method":"PlanResources","params":{"requestId":"p1","action":"view","principal":{"id":"alice","roles":["user"]},"resource":{"kind":"document"}}}"#

    @Test(arguments: [(false, false, 1), (true, false, 0), (false, true, 1)])
    func planFilters(ignoreAll: Bool, ignoreAlwaysAllow: Bool, expected: Int) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        var audit = AuditConfiguration()
        audit.decisionLogsEnabled = true
        audit.planIgnoreAll = ignoreAll
        audit.planIgnoreAlwaysAllow = ignoreAlwaysAllow
        let path = dir.path + "/audit.log"
        let (d, recorder) = try await dispatcher(dir, audit: audit, path: path)
        let response = try call(d, Self.plan)
        await recorder.close()
        let logged = try entries(path)
        #expect(logged.count == expected, "\(response)")
        if let e = logged.first {
            #expect(field(e, "callId") == field(response, "result", "cerbosCallId"))
            // The plan is conditional (owner == alice), so ignoreAlwaysAllow keeps it.
            #expect(field(e, "planResources", "output", "filter", "kind") == .string("KIND_CONDITIONAL"))
            #expect(field(e, "planResources", "input", "principal", "id") == .string("alice"))
        }
    }

    @Test func accessLogs_recordEveryDecisionCall_andMetadataKeysAreFiltered() async throws {
        var audit = AuditConfiguration()
        audit.enabled = true
        audit.accessLogsEnabled = true
        audit.includeMetadataKeys = ["X-Tenant", "authorization"]
        audit.excludeMetadataKeys = ["Authorization"]
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        audit.filePath = dir.path + "/audit.log"
        let recorder = try #require(try DecisionRecorder.make(audit, logger: Self.logger))
        recorder.recordAccess(callID: "01ARZ3NDEKTSV4RRFFQ69G5FAV", method: "m", call: DecisionCall(
            metadata: [("x-tenant", "a"), ("X-Tenant", "b"), ("authorization", "secret"), ("user-agent", "u")], recorder: recorder))
        await recorder.close()
        let logged = try entries(dir.path + "/audit.log")
        try #require(logged.count == 1)
        #expect(field(logged[0], "method") == .string("m"))
        #expect(field(logged[0], "metadata", "x-tenant", "values") == .list([.string("a"), .string("b")]))
        #expect(field(logged[0], "metadata", "authorization") == nil)
        #expect(field(logged[0], "metadata", "user-agent") == nil)
    }

    /// A disk that refuses every write (/dev/full): every decision is still answered, and the
    /// lost entries are counted and shown by Health.
    @Test func diskFull_decisionsGoOn_andFailuresAreCountedInHealth() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        var audit = AuditConfiguration()
        audit.decisionLogsEnabled = true
        let (d, recorder) = try await dispatcher(dir, audit: audit, path: "/dev/full")
        for _ in 0..<50 {
            let response = try call(d, Self.check)
            #expect(field(response, "result", "results", "0", "actions", "view") == .string("EFFECT_ALLOW"))
        }
        let counted = await eventually { recorder.log.stats.failed > 0 }
        #expect(counted)
        guard case let .map(health) = d.health() else { Issue.record("health is not an object"); return }
        guard case let .uint(failed)? = field(health, "audit", "failed") else { Issue.record("no audit.failed in \(health)"); return }
        #expect(failed > 0)
        await recorder.close()
        #expect(recorder.log.stats.failed + recorder.log.stats.written == 50)
        #expect(recorder.log.stats.written == 0)
    }

    @Test func callIDs_areULIDs_timeOrderedAndUnique() {
        let ids = AuditCallID()
        var seen = Set<String>()
        let alphabet = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        for _ in 0..<10_000 {
            let id = ids.next()
            #expect(id.count == 26 && id.allSatisfy { alphabet.contains($0) })
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
        // The first 10 characters are the millisecond time: 48 bits, big-endian base 32.
        let id = ids.next()
        var millis: UInt64 = 0
        for c in id.prefix(10) { millis = millis << 5 | UInt64(Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ").firstIndex(of: c)!) }
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let now = UInt64(ts.tv_sec) * 1000 + UInt64(ts.tv_nsec / 1_000_000)
        #expect(millis <= now && now - millis < 5_000, "\(millis) vs \(now)")
    }
}
