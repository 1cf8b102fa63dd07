import ArbiterJSON
import ArbiterServer
import CEL
import Synchronization
import Testing

/// `FileListDecisions` that also decodes `{"principal":{"id":S}}` params straight from the
/// frame's bytes, counting the requests it answered that way.
struct BytesFileListDecisions: DecisionService {
    typealias Snapshot = [String]
    let decodes: Counter

    final class Counter: Sendable {
        private let count = Mutex(0)
        func increment() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    func checkResources(_ params: Value, snapshot: [String]) throws -> Value {
        try FileListDecisions().checkResources(params, snapshot: snapshot)
    }

    func decodeCheckResources(_ c: inout JSONCursor) -> String? {
        do {
            guard try c.enterObject(), try c.nextKey(first: true) == "principal", try c.enterObject(),
                  try c.nextKey(first: true) == "id", let id = try c.readString(),
                  try c.nextKey(first: false) == nil, try c.nextKey(first: false) == nil else { return nil }
            return id
        } catch {
            return nil
        }
    }

    func writeCheckResources(decoded id: String, snapshot: [String], into writer: inout JSONWriter) throws {
        decodes.increment()
        let params = Value.map(MapValue(stringKeyed: [("principal", .map(MapValue(stringKeyed: [("id", .string(id))])))]))
        try writer.write(checkResources(params, snapshot: snapshot))
    }
}

/// The dispatcher's path for services that decode CheckResources params from bytes answers
/// every frame byte for byte as the general path does, and is taken for plain requests only.
@Suite struct RPCDispatcherDecodedPathTests {
    /// Frames and whether the decoded path should answer them.
    static let frames: [(String, Bool)] = [
        (#"{"jsonrpc":"2.0","id":"c1","method":"CheckResources","params":{"principal":{"id":"john"}}}"#, true),
        (#" { "id" : 5 , "method" : "CheckResources" , "jsonrpc" : "2.0" , "params" : { "principal" : { "id" : "j\u00f6hn" } } } "#, true),
        (#"{"jsonrpc":"2.0","id":null,"method":"CheckResources","params":{"principal":{"id":"explode"}}}"#, true),
        (#"{"jsonrpc":"2.0","id":2,"method":"CheckResources","params":{"principal":{"id":"a","x":1}}}"#, false),
        (#"{"jsonrpc":"2.0","id":3,"params":{"principal":{"id":"a"}},"method":"CheckResources"}"#, false),
        (#"{"jsonrpc":"2.0","id":4,"method":"CheckResources","params":{"principal":{"id":"a"}},"extra":true}"#, false),
        (#"{"jsonrpc":"2.0","id":5,"id":6,"method":"CheckResources","params":{"principal":{"id":"a"}}}"#, false),
        (#"{"jsonrpc":"2.0","method":"CheckResources","params":{"principal":{"id":"a"}}}"#, false),
        (#"{"jsonrpc":"2.0","id":7,"method":"CheckResources","params":{"principal":{"id":"a"}}} x"#, false),
        (#"{"jsonrpc":"1.0","id":8,"method":"CheckResources","params":{"principal":{"id":"a"}}}"#, false),
        (#"{"jsonrpc":"2.0","id":{"n":9},"method":"CheckResources","params":{"principal":{"id":"a"}}}"#, false),
        (#"{"jsonrpc":"2.0","id":10,"method":"Health","params":{}}"#, false),
        (#"{"jsonrpc":"2.0","id":11,"method":"CheckResources","params":[]}"#, false),
        (#"{"jsonrpc":"2.0","id":12,"method":"CheckResources","params":{"principal":{"id":"a"}}"#, false),
    ]

    func dispatchers(published: Bool) -> (RPCDispatcher<FileListDecisions>, RPCDispatcher<BytesFileListDecisions>, BytesFileListDecisions.Counter) {
        let store = PolicyStore<[String]>()
        if published {
            store.publish(["x.yaml"], policyCount: 1, record: ReloadRecord(
                time: Timestamp(seconds: 1_700_000_000), outcome: .success, diagnostics: [], durationMilliseconds: 1, trigger: "test"))
        }
        let identity = ServerIdentity(version: "1", build: "b")
        let counter = BytesFileListDecisions.Counter()
        return (RPCDispatcher(service: FileListDecisions(), store: store, identity: identity, logger: testLogger),
                RPCDispatcher(service: BytesFileListDecisions(decodes: counter), store: store, identity: identity, logger: testLogger),
                counter)
    }

    @Test func everyFrame_isAnsweredAsTheValuePathAnswersIt() {
        let (general, decoding, counter) = dispatchers(published: true)
        for (frame, _) in Self.frames {
            let expected = general.handle(Array(frame.utf8)).map { String(decoding: $0, as: UTF8.self) }
            let actual = decoding.handle(Array(frame.utf8)).map { String(decoding: $0, as: UTF8.self) }
            #expect(actual == expected, "\(frame)")
        }
        #expect(counter.value == Self.frames.filter(\.1).count)
    }

    @Test func plainCheckResources_takesTheDecodedPath() throws {
        let (_, decoding, counter) = dispatchers(published: true)
        let out = try #require(decoding.handle(Array(Self.frames[0].0.utf8)))
        #expect(String(decoding: out, as: UTF8.self) == #"{"jsonrpc":"2.0","id":"c1","result":{"principal":"john","files":["x.yaml"]}}"#)
        #expect(counter.value == 1)
    }

    @Test func withoutSnapshot_decodedRequestGetsTheSameInternalError() {
        let (general, decoding, _) = dispatchers(published: false)
        let frame = Array(Self.frames[0].0.utf8)
        let expected = general.handle(frame).map { String(decoding: $0, as: UTF8.self) }
        #expect(expected?.contains(#""code":-32603"#) == true)
        #expect(decoding.handle(frame).map { String(decoding: $0, as: UTF8.self) } == expected)
    }
}
