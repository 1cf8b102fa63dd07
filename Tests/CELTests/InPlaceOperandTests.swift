import Foundation
import Testing
@testable import CEL

/// `==`, `!=` and `in` whose operands are variable paths (`x.a.b`) read those values in place
/// inside the activation's maps instead of copying them out. These pin that they keep the
/// general operators' results: strings of equal bytes in other buffers, values that are errors,
/// paths that leave maps or miss a key, and missing-key errors that are made once and reused.
@Suite struct InPlaceOperandTests {
    let env = Environment(variables: ["x", "y", "o"])

    func map(_ pairs: [(String, Value)]) -> Value { .map(MapValue(stringKeyed: pairs)) }

    func eval(_ source: String, _ bindings: [String: Value]) -> Value? {
        env.compile(source).program?.evaluate(bindings)
    }

    /// A string longer than a small string, built at run time: equal bytes in its own buffer.
    func long(_ tail: String) -> String { String(repeating: "p", count: 20) + tail }

    @Test func equalityOfTwoPaths_comparesBytesNotRepresentations() {
        let x = map([("a", map([("s", .string(long("q")))]))])
        for (other, expected) in [(long("q"), true), (long("r"), false), ("short", false)] {
            let y = map([("t", .string(other))])
            #expect(eval("x.a.s == y.t", ["x": x, "y": y]) == .bool(expected))
            #expect(eval("x.a.s != y.t", ["x": x, "y": y]) == .bool(!expected))
        }
        // Across kinds and inside lists, as the general operator compares.
        let n = map([("i", .int(1)), ("d", .double(1)), ("u", .uint(2)), ("l", .list([.string("a")]))])
        let m = map([("d", .double(1)), ("u", .int(2)), ("l", .list([.string("a")])), ("s", .string("a"))])
        #expect(eval("x.i == y.d", ["x": n, "y": m]) == .bool(true))
        #expect(eval("x.u == y.u", ["x": n, "y": m]) == .bool(true))
        #expect(eval("x.l == y.l", ["x": n, "y": m]) == .bool(true))
        #expect(eval("x.l == y.s", ["x": n, "y": m]) == .bool(false))
    }

    @Test func errorValuesInsideMaps_areTheResult() {
        // A host may bind maps holding error or unknown values: the operators pass them on.
        let failing = map([("e", .error(EvalError("boom"))), ("s", .string("a"))])
        let plain = map([("s", .string("a")), ("e", .string("b"))])
        #expect(eval("x.e == y.s", ["x": failing, "y": plain]) == .error(EvalError("boom")))
        #expect(eval("y.s == x.e", ["x": failing, "y": plain]) == .error(EvalError("boom")))
        #expect(eval(#"x.e == "a""#, ["x": failing]) == .error(EvalError("boom")))
        #expect(eval(#""a" in x.e"#, ["x": failing]) == .error(EvalError("boom")))
        let unknown = map([("u", .unknown(UnknownSet([7])))])
        #expect(eval("x.u == y.s", ["x": unknown, "y": plain]) == .unknown(UnknownSet([7])))
    }

    @Test func inOnAListPath_findsStringsOfEqualBytes() {
        let roles = map([("roles", .list([.string("user"), .string(long("admin")), .int(3)]))])
        #expect(eval("\"\(long("admin"))\" in x.roles", ["x": roles]) == .bool(true))
        #expect(eval("\"\(long("admim"))\" in x.roles", ["x": roles]) == .bool(false))
        #expect(eval(#""user" in x.roles"#, ["x": roles]) == .bool(true))
        #expect(eval(#""users" in x.roles"#, ["x": roles]) == .bool(false))
        #expect(eval("3 in x.roles", ["x": roles]) == .bool(true))
        #expect(eval(#""roles" in x"#, ["x": roles]) == .bool(true))
    }

    @Test func pathsThatLeaveMaps_orMissAKey_keepTheirResults() {
        // `o` is an object whose field is a map: the walk continues into the map in place.
        let object = Value.object(TestObject(fields: ["attr": map([("owner", .string("ann"))])]))
        let bindings = ["x": map([("id", .string("ann")), ("opt", .optional(map([("k", .int(1))])))]), "o": object]
        #expect(eval("o.attr.owner == x.id", bindings) == .bool(true))
        #expect(eval(#"o.attr.owner == "bob""#, bindings) == .bool(false))
        #expect(eval("o.attr.missing == x.id", bindings) == .error(EvalError("no such key: missing")))
        #expect(eval("o.nofield.owner == x.id", bindings) == .error(EvalError("no such field 'nofield'")))
        // An optional in the middle of the path: selection goes through it.
        #expect(eval("x.opt.k", bindings) == .optional(.int(1)))
        #expect(eval("x.opt.k == 1", bindings) == .bool(false))
        #expect(eval("x.id.k == x.id", bindings) == .error(EvalError("type 'string' does not support field selection")))
        #expect(eval("y.id == x.id", bindings) == .error(EvalError("no such attribute: y")))
    }

    @Test(arguments: [3, 16, 17, 40])
    func keySearch_findsKeysOfEqualBytes_andMissesOthersOfTheSameLength(size: Int) throws {
        // Keys of one length ("k00"...), so only the byte compare tells them apart; a spelled
        // long key is equal bytes in another buffer. Small maps are searched in place, large
        // ones through the dictionary's hash table.
        var pairs = (0..<size).map { (String(format: "k%02d", $0), Value.int(Int64($0))) }
        pairs.append((long("key"), .string("long")))
        let bindings = ["x": map([("m", map(pairs))]), "y": map([("n", .int(Int64(size - 1)))])]
        let cases: [(String, Value)] = [
            ("x.m.k02 == 2", .bool(true)),
            ("x.m.k\(String(format: "%02d", size - 1)) == y.n", .bool(true)),
            ("x.m.\(long("key")) == \"long\"", .bool(true)),
            ("x.m.k99 == 1", .error(EvalError("no such key: k99"))),
            ("x.m.\(long("kez")) == 1", .error(EvalError("no such key: \(long("kez"))"))),
        ]
        for (source, expected) in cases {
            let program = try #require(env.compile(source).program)
            // Twice: the second evaluation starts from what the inline cache learned.
            #expect(program.evaluate(bindings) == expected)
            #expect(program.evaluate(bindings) == expected)
        }
    }

    @Test func missingKeyErrors_keepTheirMessage_acrossEvaluationsAndThreads() async throws {
        let program = try #require(env.compile("x.a.b == y.c").program)
        let x = map([("a", map([("z", .int(1))]))]), y = map([("c", .int(1))])
        let expected = Value.error(EvalError("no such key: b"))
        #expect(program.evaluate(["x": x, "y": y]) == expected)
        #expect(program.evaluate(["x": x, "y": y]) == expected)
        #expect(program.evaluate(["x": map([("q", .int(0))]), "y": y]) == .error(EvalError("no such key: a")))
        let select = try #require(env.compile("x.map(m, m.k)").program)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var ok = true
                    for _ in 0..<500 {
                        ok = ok && program.evaluate(["x": x, "y": y]) == expected
                        ok = ok && select.evaluate(["x": .list([map([("j", .null)])])]) == .error(EvalError("no such key: k"))
                    }
                    return ok
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }
}

/// A host object with fixed fields.
private struct TestObject: ObjectValue {
    let fields: [String: Value]
    var celType: CELType { CELType("test.Object") }
    func field(_ name: String) -> Value? { fields[name] }
    func isEqual(to other: any ObjectValue) -> Bool { false }
}
