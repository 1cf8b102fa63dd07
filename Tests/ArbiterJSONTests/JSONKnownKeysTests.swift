import ArbiterJSON
import Synchronization
import Testing

/// A caller's key vocabulary (`JSONKnownKeys`) changes how keys are built, never what is read.
@Suite struct JSONKnownKeysTests {
    /// A vocabulary of `id` and `method` that records every key it is asked about.
    final class Vocabulary: Sendable {
        let asked = Mutex<[String]>([])

        var keys: JSONKnownKeys {
            JSONKnownKeys { [self] bytes, start, end in
                asked.withLock { $0.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)) }
                let b = bytes.baseAddress! + start
                switch end - start {
                case 2: return JSONKnownKeys.same(b, "id") ? "id" : nil
                case 6: return JSONKnownKeys.same(b, "method") ? "method" : nil
                default: return nil
                }
            }
        }
    }

    /// Known, unknown, escaped, long and non-ASCII keys, nested too.
    static let document = #"{"id":1,"method":"m","params":{"id":"x","a\u0062":2,"longerThanFifteenBytes":3,"é":4}}"#

    @Test func parse_withKnownKeys_readsTheSameValue_andAsksOnlyAboutShortPlainKeys() throws {
        let vocabulary = Vocabulary()
        let withKeys = try Array(Self.document.utf8).withUnsafeBufferPointer {
            try JSONReader.parse($0, knownKeys: vocabulary.keys)
        }
        #expect(try JSONWriter.encodeString(withKeys) == JSONWriter.encodeString(JSONReader.parse(Self.document)))
        #expect(vocabulary.asked.withLock { $0 } == ["id", "method", "params", "id"])
    }

    @Test func cursor_withKnownKeys_returnsTheSpelledKeys() throws {
        let vocabulary = Vocabulary()
        var keys: [String] = []
        try Array(Self.document.utf8).withUnsafeBytes { raw in
            var c = JSONCursor(raw, knownKeys: vocabulary.keys)
            #expect(try c.enterObject())
            var first = true
            while let key = try c.nextKey(first: first) {
                first = false
                keys.append(key)
                _ = try c.readValue()
            }
        }
        #expect(keys == ["id", "method", "params"])
        // The values read whole (`params`) use the vocabulary too.
        #expect(vocabulary.asked.withLock { $0 } == ["id", "method", "params", "id"])
    }
}
