import CEL

/// Deterministic random CEL expressions from a typed grammar, for the differential test against
/// cel-cpp: edge-value literals, mixed numeric comparisons, `&&`/`||` over errors, lists, maps
/// and macros, the strings, math and encoders extensions, `cel.bind`, timestamps and durations
/// with time zones, conversions, and the bound variables of `Bindings`. Each generator returns
/// an expression of its type, so most expressions type-check in both implementations; what
/// does not is an accepted difference or a finding.
struct ExpressionGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    mutating func next(_ n: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(n))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }

    /// One expression of a random result type, at most `depth` operators deep.
    mutating func expression(depth: Int = 3) -> String {
        switch next(10) {
        case 0: return int(depth)
        case 1: return uint(depth)
        case 2: return double(depth)
        case 3: return string(depth)
        case 4: return bytes(depth)
        case 5: return intList(depth)
        case 6: return stringList(depth)
        case 7: return map(depth)
        default: return bool(depth)
        }
    }

    // MARK: numbers

    mutating func int(_ d: Int) -> String {
        if d <= 0 || next(5) == 0 {
            return pick(["0", "1", "-1", "7", "42", "-3", "9223372036854775807", "-9223372036854775808", "x", "x", "0x1F"])
        }
        let e = d - 1
        switch next(18) {
        case 0, 1: return "(\(int(e)) \(pick(["+", "-", "*", "/", "%"])) \(int(e)))"
        case 2: return "size(\(pick([string(e), bytes(e)])))"
        case 3: return "\(pick([intList(e), stringList(e), map(e)])).size()"
        case 4: return "(\(bool(e)) ? \(int(e)) : \(int(e)))"
        case 5: return "int(\(pick([double(e), uint(e), string(0), timestamp(e)])))"
        case 6: return "int(\(pick(["'12'", "'-7'", "'x'", "'9223372036854775808'", "' 1'", "'0x10'"])))"
        case 7: return "\(intList(e))[\(pick(["0", "1", "2", "-1", "x"]))]"
        case 8: return "-\(int(e))"
        case 9: return "math.\(pick(["greatest", "least"]))(\(int(e)), \(int(e)))"
        case 10: return "math.\(pick(["abs", "sign"]))(\(int(e)))"
        case 11: return "\(string(e)).\(pick(["indexOf", "lastIndexOf"]))(\(string(0)))"
        case 12: return "\(timestamp(e)).\(pick(["getHours", "getMinutes", "getDayOfWeek", "getDate", "getMonth", "getFullYear", "getDayOfYear"]))(\(pick(["", zone()])))"
        case 13: return "\(duration(e)).\(pick(["getHours", "getMinutes", "getSeconds", "getMilliseconds"]))()"
        case 14: return "cel.bind(v, \(int(e)), v \(pick(["+", "*", "-"])) v)"
        case 15: return "\(map(e))[\(string(0))]"
        case 16: return "\(intList(e)).filter(i, i \(pick([">", "<", "=="])) \(int(0))).size()"
        default: return "(x \(pick(["+", "-", "*"])) \(int(e)))"
        }
    }

    mutating func uint(_ d: Int) -> String {
        if d <= 0 || next(4) == 0 { return pick(["0u", "1u", "3u", "18446744073709551615u", "10u"]) }
        let e = d - 1
        switch next(5) {
        case 0, 1: return "(\(uint(e)) \(pick(["+", "-", "*", "/", "%"])) \(uint(e)))"
        case 2: return "uint(\(pick([int(e), double(e), "'42'", "'-1'"])))"
        case 3: return "(\(bool(e)) ? \(uint(e)) : \(uint(e)))"
        default: return "math.\(pick(["greatest", "least"]))(\(uint(e)), \(uint(e)))"
        }
    }

    /// A finite double literal.
    mutating func finiteDouble() -> String { pick(["0.0", "-0.0", "1.5", "-2.25", "0.1", "3.0", "1e10"]) }

    mutating func double(_ d: Int) -> String {
        if d <= 0 || next(5) == 0 {
            return pick(["0.0", "-0.0", "1.5", "-2.25", "1e308", "1e-300", "0.1", "3.0", "y", "y"])
        }
        let e = d - 1
        switch next(8) {
        case 0, 1: return "(\(double(e)) \(pick(["+", "-", "*", "/"])) \(double(e)))"
        case 2: return "double(\(pick([int(e), uint(e)])))"
        case 3: return "double(\(pick(["'1.5'", "'-0.5'", "'x'", "'1e400'", "'NaN'", "'-Infinity'"])))"
        case 4: return "(\(bool(e)) ? \(double(e)) : \(double(e)))"
        case 5: return "math.\(pick(["ceil", "floor", "round", "trunc", "abs"]))(\(double(e)))"
        case 6: return "math.\(pick(["greatest", "least"]))(\(double(e)), \(double(e)))"
        default: return "-\(double(e))"
        }
    }

    // MARK: text

    mutating func string(_ d: Int) -> String {
        if d <= 0 || next(5) == 0 {
            return pick(["''", "'ab'", "'héllo'", "'日本語'", "'x y'", "'AbC'", "' pad '", "'a\\nb'", "\"q\\\"q\"", "r'\\d'",
                         "'%'", "s", "s"])
        }
        let e = d - 1
        switch next(16) {
        case 0, 1: return "(\(string(e)) + \(string(e)))"
        // Doubles become text only from finite literals: cel-cpp writes NaN and infinities as C
        // does (nan, inf), and the difference would leak into any comparison of the text.
        case 2: return "string(\(pick([int(e), uint(e), finiteDouble(), bool(e)])))"
        case 3: return "string(\(bytes(e)))"
        case 4: return "(\(bool(e)) ? \(string(e)) : \(string(e)))"
        case 5: return "\(string(e)).\(pick(["lowerAscii", "upperAscii", "trim"]))()"
        case 6: return "\(string(e)).substring(\(pick(["0", "1", "2", "5"])))"
        case 7: return "\(string(e)).substring(\(pick(["0", "1"])), \(pick(["1", "2", "3"])))"
        case 8: return "\(string(e)).charAt(\(pick(["0", "1", "3"])))"
        case 9: return "\(string(e)).replace(\(string(0)), \(string(0)))"
        case 10: return "\(stringList(e)).join(\(pick(["", "', '"])))"
        case 11: return "'\(pick(["%d", "%s", "%5.2f", "%.3f", "%x", "%o", "%b", "%e"]))'.format([\(pick([int(e), pick(["0.0", "1.5", "-2.25", "0.1"]), string(e), uint(e)]))])"
        case 12: return "base64.encode(\(bytes(e)))"
        case 13: return "strings.quote(\(string(e)))"
        case 14: return "cel.bind(t, \(string(e)), t + t)"
        default: return "\(map(e)).exists(k, k == \(string(0))) ? \(string(0)) : \(string(e))"
        }
    }

    mutating func bytes(_ d: Int) -> String {
        if d <= 0 || next(3) == 0 { return pick(["b''", "b'ab'", "b'\\xff\\x00'", "b'héllo'"]) }
        let e = d - 1
        switch next(4) {
        case 0: return "(\(bytes(e)) + \(bytes(e)))"
        case 1: return "bytes(\(string(e)))"
        case 2: return "base64.decode(\(pick(["'YWI='", "'YWI'", "'!!'", "''"])))"
        default: return "(\(bool(e)) ? \(bytes(e)) : \(bytes(e)))"
        }
    }

    // MARK: logic

    /// An expression that is an error at run time, for short-circuit cases.
    mutating func failing() -> String {
        pick(["(1 / 0 == 1)", "(x / 0 > 1)", "([][0] == 1)", "({'a': 1}['b'] == 1)", "(int('x') == 1)",
              "(9223372036854775807 + x > 0)"])
    }

    mutating func bool(_ d: Int) -> String {
        if d <= 0 || next(6) == 0 { return pick(["true", "false", "b", "b"]) }
        let e = d - 1
        switch next(22) {
        case 0: return "(\(int(e)) \(comparison()) \(int(e)))"
        case 1: return "(\(double(e)) \(comparison()) \(double(e)))"
        case 2: return "(\(string(e)) \(comparison()) \(string(e)))"
        case 3, 4: return "(\(bool(e)) \(pick(["&&", "||"])) \(bool(e)))"
        case 5: return pick(["(\(failing()) || \(bool(e)))", "(\(bool(e)) && \(failing()))", "(\(failing()) && false)",
                             "(true || \(failing()))", "(\(failing()) ? true : false)"])
        case 6: return "!\(bool(e))"
        case 7: return "\(string(e)).\(pick(["contains", "startsWith", "endsWith"]))(\(string(0)))"
        case 8: return "(\(int(e)) in \(intList(e)))"
        case 9: return "(\(string(0)) in \(map(e)))"
        case 10: return "\(intList(e)).\(pick(["exists", "all", "exists_one"]))(i, i \(comparison()) \(int(e)))"
        case 11:
            // Mixed numeric kinds: through dyn (both checkers accept it) and bare (ours accepts
            // it checked, as Cerbos enables cross-type comparisons; cel-cpp's checker does not).
            let lhs = pick([int(e), uint(e), double(e)]), rhs = pick([int(e), uint(e), double(e)])
            return pick(["(dyn(\(lhs)) \(comparison()) dyn(\(rhs)))", "(\(lhs) \(comparison()) \(rhs))"])
        case 12: return "\(string(e)).matches(\(pick(["'^a'", "'b+'", "'[A-Z]'", "''", "'^\\\\d+$'", "'('"])))"
        case 13: return "has(\(pick(["m", "{'a': 1}"])).\(pick(["a", "b"])))"
        case 14: return "(\(uint(e)) \(comparison()) \(uint(e)))"
        case 15: return "(\(timestamp(e)) \(comparison()) \(timestamp(e)))"
        case 16: return "(\(duration(e)) \(comparison()) \(duration(e)))"
        case 17: return "math.\(pick(["isNaN", "isInf", "isFinite"]))(\(double(e)))"
        case 18: return "(type(\(expression(depth: e))) == \(pick(["int", "uint", "double", "string", "bool", "list", "map", "bytes"])))"
        case 19: return "(\(intList(e)) == \(intList(e)))"
        case 20: return pick(["(\(map(e)) == \(map(e)))", "\(map(e)).\(pick(["exists", "all", "exists_one"]))(k, k \(comparison()) \(string(0)))",
                              "(\(string(0)) in \(map(e)).filter(k, \(map(e))[k] > 0))"])
        default: return "cel.bind(c, \(bool(e)), c || \(bool(e)))"
        }
    }

    mutating func comparison() -> String { pick(["==", "!=", "<", "<=", ">", ">="]) }

    // MARK: aggregates

    mutating func intList(_ d: Int) -> String {
        if d <= 0 || next(4) == 0 { return pick(["[]", "[1, 2, 3]", "[-1]", "[5, 0, 5]", "l", "l"]) }
        let e = d - 1
        switch next(7) {
        case 0: return "[\(int(e)), \(int(e))]"
        case 1: return "(\(intList(e)) + \(intList(e)))"
        case 2: return "\(intList(e)).map(i, i \(pick(["*", "+", "-", "/"])) \(int(e)))"
        case 3: return "\(intList(e)).filter(i, i % 2 == 0)"
        case 4: return "\(intList(e)).map(i, i > 0, i * 10)"
        case 5: return "(\(bool(e)) ? \(intList(e)) : \(intList(e)))"
        // cel-cpp iterates maps in hash order, Arbiter (as cel-go with its literals) in
        // insertion order: lists made from maps are only counted or searched.
        default: return "[\(map(e)).map(k, size(k)).size(), \(map(e)).filter(k, k > 'a').size()]"
        }
    }

    mutating func stringList(_ d: Int) -> String {
        if d <= 0 || next(4) == 0 { return pick(["[]", "['a', 'b']", "['héllo', '']"]) }
        let e = d - 1
        switch next(4) {
        case 0: return "\(string(e)).split(\(pick(["''", "' '", "'l'", "','"])))"
        case 1: return "\(intList(e)).map(i, string(i))"
        case 2: return "(\(stringList(e)) + [\(string(e))])"
        default: return "\(stringList(e)).filter(w, w != '')"
        }
    }

    mutating func map(_ d: Int) -> String {
        if d <= 0 || next(4) == 0 { return pick(["{}", "{'a': 1}", "{'a': 1, 'b': 2}", "m", "m"]) }
        let e = d - 1
        switch next(4) {
        case 0: return "{'a': \(int(e)), 'b': \(int(e))}"
        case 1: return "{\(string(0)): \(int(e))}"
        case 2: return "{\(string(0)): \(int(e)), \(string(0)): \(int(e))}"
        default: return "(\(bool(e)) ? \(map(e)) : \(map(e)))"
        }
    }

    // MARK: time

    mutating func zone() -> String {
        pick(["'UTC'", "'America/New_York'", "'Asia/Kolkata'", "'+05:30'", "'-08:00'", "'02:00'", "'Europe/Paris'",
              "'Australia/Lord_Howe'"])
    }

    mutating func timestamp(_ d: Int) -> String {
        if d <= 0 || next(3) == 0 {
            return pick(["timestamp('2024-03-10T06:30:45Z')", "timestamp('1970-01-01T00:00:00.123456789Z')",
                         "timestamp('2023-12-31T23:59:59+02:00')", "timestamp('0001-01-01T00:00:00Z')",
                         "timestamp('9999-12-31T23:59:59.999999999Z')", "timestamp(0)", "timestamp(1700000000)"])
        }
        let e = d - 1
        switch next(3) {
        case 0: return "(\(timestamp(e)) + \(duration(e)))"
        case 1: return "(\(timestamp(e)) - \(duration(e)))"
        default: return "(\(bool(e)) ? \(timestamp(e)) : \(timestamp(e)))"
        }
    }

    mutating func duration(_ d: Int) -> String {
        if d <= 0 || next(3) == 0 {
            return pick(["duration('1h30m')", "duration('-2.5s')", "duration('100ms')", "duration('0s')", "duration('86400s')",
                         "duration('1us')"])
        }
        let e = d - 1
        switch next(3) {
        case 0: return "(\(duration(e)) \(pick(["+", "-"])) \(duration(e)))"
        case 1: return "(\(timestamp(e)) - \(timestamp(e)))"
        default: return "(\(bool(e)) ? \(duration(e)) : \(duration(e)))"
        }
    }
}

extension ExpressionGenerator {
    /// The bound variables' declarations, as the oracle declares them too.
    static let declarations: [VariableDecl] = [
        VariableDecl("x", .int), VariableDecl("y", .double), VariableDecl("s", .string), VariableDecl("b", .bool),
        VariableDecl("l", .list(.int)), VariableDecl("m", .map(.string, .int)),
    ]

    /// Values for the bound variables, edge values included.
    mutating func bindings() -> [String: Value] {
        let ints: [Int64] = [0, 1, -1, 3, 42, .max, .min, 1 << 32]
        let doubles: [Double] = [0, -0.0, 1.5, -2.25, 1e308, .infinity, .nan, 0.1]
        let strings = ["", "a", "héllo", "AbC", "a,b,,c", " pad ", "日本語", "l"]
        var keys = OrderedKeys()
        let mapped = (0..<next(4)).map { _ in (keys.next(pick(["a", "b", "", "é", "k"])), Value.int(pick(ints))) }
        return [
            "x": .int(pick(ints)), "y": .double(pick(doubles)), "s": .string(pick(strings)), "b": .bool(next(2) == 0),
            "l": .list((0..<next(4)).map { _ in .int(pick([0, 1, -1, 5, 42, .max])) }),
            "m": .map(MapValue(stringKeyed: mapped.compactMap { k, v in k.map { ($0, v) } })),
        ]
    }

    /// Drops repeated map keys.
    struct OrderedKeys {
        var seen: Set<String> = []
        mutating func next(_ key: String) -> String? { seen.insert(key).inserted ? key : nil }
    }
}
