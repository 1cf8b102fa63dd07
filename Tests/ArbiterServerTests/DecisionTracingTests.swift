#if canImport(Glibc)
import Glibc
#endif
import ArbiterEngine
import ArbiterJSON
import ArbiterServer
import CEL
import InMemoryTracing
import Logging
import OrderedCollections
import Testing

/// Spans through swift-distributed-tracing: one per request with its decode, decide and encode
/// phases as children, and one per reload with its compile and publish phases, recorded by a
/// tracer the test owns (no exporter).
@Suite struct DecisionTracingTests {
    static let request = #"""
        {"requestId": "r1", "principal": {"id": "alice", "roles": ["user"]},
         "resources": [{"actions": ["view"], "resource": {"kind": "document", "id": "d1", "attr": {"owner": "alice"}}}]}
        """#

    func engine(_ dir: TemporaryDirectory, tracing: ServerTracing? = nil) async throws -> (PolicyStore<Engine>, PolicyWatcher<Engine>) {
        let policies = dir.path + "/policies"
        mkdir(policies, 0o755)
        try writeFile(policies + "/document.yaml", DaemonChild.policy)
        let store = PolicyStore<Engine>()
        var options = PolicyWatcher<Engine>.Options(watchForChanges: false)
        options.tracing = tracing
        let watcher = try PolicyWatcher(directory: policies, store: store, options: options, logger: Logger(label: "trace-test"),
                                        compile: EngineCompilation.compiler(configuration: EngineConfiguration()))
        return (store, watcher)
    }

    @Test func checkResources_makesARequestSpan_withDecodeDecideAndEncodeChildren() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let (store, watcher) = try await engine(dir)
        #expect(await watcher.reload(trigger: "test").outcome == .success)
        let tracer = InMemoryTracer()
        let service = EngineDecisionService(tracing: ServerTracing(tracer: tracer))
        var w = JSONWriter()
        try service.writeCheckResources(try json(Self.request), snapshot: try #require(store.snapshot()), into: &w)
        #expect(String(decoding: w.bytes, as: UTF8.self).contains("EFFECT_ALLOW"))

        let spans = tracer.finishedSpans
        #expect(spans.map(\.operationName).sorted() == ["CheckResources", "decide", "decode", "encode"])
        let root = try #require(spans.first { $0.operationName == "CheckResources" })
        #expect(root.parentSpanID == nil)
        for child in spans where child.operationName != "CheckResources" {
            #expect(child.parentSpanID == root.spanID, "\(child.operationName)")
            #expect(child.traceID == root.traceID)
        }
    }

    @Test func invalidRequest_recordsTheErrorOnTheRequestSpan() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let (store, watcher) = try await engine(dir)
        #expect(await watcher.reload(trigger: "test").outcome == .success)
        let tracer = InMemoryTracer()
        let service = EngineDecisionService(tracing: ServerTracing(tracer: tracer))
        var w = JSONWriter()
        #expect(throws: RequestError.self) {
            try service.writeCheckResources(try json(#"{"principal": {"id": "a"}}"#), snapshot: try #require(store.snapshot()), into: &w)
        }
        let root = try #require(tracer.finishedSpans.first { $0.operationName == "CheckResources" })
        #expect(root.errors.count == 1)
        #expect(tracer.finishedSpans.contains { $0.operationName == "decode" && $0.errors.count == 1 })
        #expect(!tracer.finishedSpans.contains { $0.operationName == "decide" })
    }

    @Test func reload_makesAReloadSpan_withCompileAndPublishChildren() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let tracer = InMemoryTracer()
        let (_, watcher) = try await engine(dir, tracing: ServerTracing(tracer: tracer))
        #expect(await watcher.reload(trigger: "test").outcome == .success)
        let spans = tracer.finishedSpans
        #expect(spans.map(\.operationName).sorted() == ["reload", "reload.compile", "reload.publish"])
        let root = try #require(spans.first { $0.operationName == "reload" })
        #expect(spans.filter { $0.parentSpanID == root.spanID }.count == 2)
    }

    @Test func withoutTracing_noSpanIsMade_andTheAnswerIsTheSame() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let (store, watcher) = try await engine(dir)
        #expect(await watcher.reload(trigger: "test").outcome == .success)
        let snapshot = try #require(store.snapshot())
        var plain = JSONWriter(), traced = JSONWriter()
        try EngineDecisionService().writeCheckResources(try json(Self.request), snapshot: snapshot, into: &plain)
        let tracer = InMemoryTracer()
        try EngineDecisionService(tracing: ServerTracing(tracer: tracer)).writeCheckResources(try json(Self.request), snapshot: snapshot, into: &traced)
        // The two answers differ only in their cerbosCallId.
        func withoutCallID(_ w: JSONWriter) throws -> String {
            var v = try JSONReader.parse(w.bytes)
            if case var .map(m) = v { m.storage[.string("cerbosCallId")] = nil; v = .map(m) }
            return try JSONWriter.encodeString(v)
        }
        #expect(try withoutCallID(plain) == withoutCallID(traced))
        #expect(!tracer.finishedSpans.isEmpty)
    }
}
