import Testing
@testable import CEL

/// Field selection remembers where it last found each key (an inline cache on the node). The
/// cache is only a hint: these pin that maps of other shapes, missing keys, keys that are equal
/// but stored apart, and concurrent evaluations still select the right value.
@Suite struct FieldCacheTests {
    let env = Environment(variables: ["x", "y"])

    /// A map of string keys; `pad` extra keys go first so `key` moves to another position.
    func map(_ pairs: [(String, Value)], pad: Int = 0) -> Value {
        .map(MapValue(stringKeyed: (0..<pad).map { ("pad\($0)", Value.int(Int64(-$0))) } + pairs))
    }

    @Test func pathSelection_followsKeysAcrossShapes() throws {
        let program = try #require(env.compile("x.a.b").program)
        // A heap-allocated key (longer than a small string) spelled at run time, so the map's key
        // and the program's field name are equal strings in different buffers.
        let long = String(repeating: "k", count: 40)
        let longProgram = try #require(env.compile("x.\(long).b").program)
        for pad in [0, 3, 0, 7, 1, 0] {
            let inner = map([("b", .int(Int64(pad)))], pad: pad)
            #expect(program.evaluate(["x": map([("a", inner)], pad: pad)]) == .int(Int64(pad)))
            let spelled = String(repeating: "k", count: 20) + String(repeating: "k", count: 20)
            #expect(longProgram.evaluate(["x": map([(spelled, inner)], pad: pad)]) == .int(Int64(pad)))
        }
        // The key sits where the cache points, under another name: must not be taken for it.
        guard case let .error(e) = program.evaluate(["x": map([("a", map([("c", .int(1))]))])]) else {
            Issue.record("selecting a missing key should fail"); return
        }
        #expect(e.message == "no such key: b")
        #expect(program.evaluate(["x": map([("a", map([("b", .int(9))]))])]) == .int(9))
    }

    @Test func localSelection_followsKeysAcrossShapes() throws {
        // `m.a` on a comprehension variable is a select node over values of changing shape.
        let program = try #require(env.compile("x.map(m, m.a)").program)
        let items: [Value] = [map([("a", .int(1))]), map([("a", .int(2))], pad: 2), map([("z", .int(0)), ("a", .int(3))]),
                              map([("a", .int(4))])]
        #expect(program.evaluate(["x": .list(items)]) == .list([.int(1), .int(2), .int(3), .int(4)]))
        guard case .error? = env.compile("x.map(m, m.a)").program?.evaluate(["x": .list([map([("b", .int(1))])])]) else {
            Issue.record("selecting a missing key should fail"); return
        }
    }

    @Test func mapKeys_compareByCodePoints() throws {
        // "é" precomposed and "e" + combining acute are canonically equivalent but different code
        // points: distinct keys in CEL, as in cel-go.
        let composed = "\u{E9}", decomposed = "e\u{301}"
        let bound = map([(composed, .int(1))])
        #expect(env.compile("x[y]").program?.evaluate(["x": bound, "y": .string(decomposed)]) == .error(EvalError("no such key: \(decomposed)")))
        #expect(env.compile("y in x").program?.evaluate(["x": bound, "y": .string(decomposed)]) == .bool(false))
        #expect(env.compile("y in x").program?.evaluate(["x": bound, "y": .string(composed)]) == .bool(true))
        #expect(env.compile(#"{"\u00e9": 1, "e\u0301": 2}.size()"#).program?.evaluate() == .int(2))
    }

    @Test func concurrentEvaluations_ofManyShapes_agree() async throws {
        let program = try #require(env.compile("x.a.b == y").program)
        let results = await withTaskGroup(of: Bool.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var ok = true
                    for i in 0..<2_000 {
                        let pad = (task + i) % 5
                        let x = map([("a", map([("b", .int(Int64(i)))], pad: pad))], pad: 4 - pad)
                        ok = ok && program.evaluate(["x": x, "y": .int(Int64(i))]) == .bool(true)
                    }
                    return ok
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }
}
