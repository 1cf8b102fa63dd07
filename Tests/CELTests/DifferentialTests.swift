import Foundation
import Testing
import CEL

/// Differential check against Google's C++ CEL (the `cel-expr-python` wheel): a few hundred
/// generated expressions must give the same values and the same error/no-error outcome.
/// `make deps` installs the wheel into `.build/packaging-venv`; elsewhere the test is skipped
/// with a message saying how to get it (on CI a missing wheel fails instead).
@Suite struct DifferentialTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A python that can import cel_expr_python: `ARBITER_PYTHON`, the packaging venv, or python3.
    static let python: String? = {
        var candidates = [root.appendingPathComponent(".build/packaging-venv/bin/python").path, "/usr/bin/python3"]
        if let explicit = ProcessInfo.processInfo.environment["ARBITER_PYTHON"], !explicit.isEmpty { candidates.insert(explicit, at: 0) }
        if let path = ProcessInfo.processInfo.environment["PATH"] {
            candidates += path.split(separator: ":").map { "\($0)/python3" }
        }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: candidate)
            p.arguments = ["-c", "import cel_expr_python.cel"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            guard (try? p.run()) != nil else { continue } // not runnable: try the next candidate
            p.waitUntilExit()
            if p.terminationStatus == 0 { return candidate }
        }
        return nil
    }()

    static var oracleMissing: Bool { python == nil && ProcessInfo.processInfo.environment["CI"] == nil }

    @Test(.disabled(if: oracleMissing, "cel-expr-python not found: run `make deps` (it installs the wheel into .build/packaging-venv) or set ARBITER_PYTHON"))
    func generatedExpressions_agreeWithGooglesCPlusPlusCEL() throws {
        let python = try #require(Self.python, "cel-expr-python is required on CI; `make deps` installs it")
        var generator = ExpressionGenerator(seed: 20261123)
        let expressions = (0..<400).map { _ in generator.expression() }

        let env = Environment()
        let ours = expressions.map { source -> String in
            let compiled = env.compile(source)
            guard let program = compiled.program else { return #"{"error": "compile"}"# }
            return Self.tagged(program.evaluate([:]))
        }
        let theirs = try Self.runOracle(python: python, expressions: expressions)
        try #require(theirs.count == expressions.count, "oracle answered \(theirs.count) of \(expressions.count) lines")

        var mismatches: [String] = []
        var errors = 0
        for i in expressions.indices {
            let a = try Self.decode(ours[i]), b = try Self.decode(theirs[i])
            if Self.isError(a) { errors += 1 }
            if !Self.same(a, b) { mismatches.append("\(expressions[i])\n  ours:   \(ours[i])\n  cel-cpp: \(theirs[i])") }
        }
        print("differential: \(expressions.count - mismatches.count)/\(expressions.count) agree with cel-cpp (\(errors) are errors in both or either)")
        #expect(mismatches.isEmpty, "\(mismatches.count) disagreements:\n\(mismatches.prefix(8).joined(separator: "\n"))")
        #expect(errors < expressions.count / 2, "the generator should mostly produce expressions that evaluate")
    }

    static func runOracle(python: String, expressions: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root.appendingPathComponent("Tests/oracles/cel_cpp_oracle.py").path]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let lines = try expressions.map { String(decoding: try JSONSerialization.data(withJSONObject: ["expr": $0]), as: UTF8.self) }
        // Writing everything before reading is safe: the oracle flushes line by line and the pipe
        // drains into the reader below only after; 400 short lines fit the pipe buffer.
        let writer = Thread { input.fileHandleForWriting.write(Data((lines.joined(separator: "\n") + "\n").utf8)); try? input.fileHandleForWriting.close() }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Our value in the oracle's tagged form.
    static func tagged(_ v: Value) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: tag(v), options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    static func tag(_ v: Value) -> Any {
        switch v {
        case let .error(e): return ["error": e.message]
        case let .int(i): return ["int": String(i)]
        case let .uint(u): return ["uint": String(u)]
        case let .double(d):
            if d.isNaN { return ["double": "NaN"] }
            if d.isInfinite { return ["double": d > 0 ? "Infinity" : "-Infinity"] }
            return ["double": d]
        case let .string(s): return ["string": s]
        case let .bytes(b): return ["bytes": Data(b).base64EncodedString()]
        case let .bool(b): return ["bool": b]
        case .null: return ["null": NSNull()]
        case let .list(items): return ["list": items.map(tag)]
        case let .map(m):
            return ["map": m.storage.map { key, value -> [Any] in
                let k: Any
                switch key {
                case let .bool(b): k = ["bool": b]
                case let .int(i): k = ["int": String(i)]
                case let .uint(u): k = ["int": String(u)] // plain Python keys do not keep uint apart
                case let .string(s): k = ["string": s]
                }
                return [k, tag(value)]
            }]
        default: return ["other": "\(v)"]
        }
    }

    static func decode(_ line: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed]) }
    static func isError(_ a: Any) -> Bool { (a as? [String: Any])?["error"] != nil }

    /// Structural equality; errors match any error (messages differ between implementations),
    /// map entries match in any order.
    static func same(_ a: Any, _ b: Any) -> Bool {
        if isError(a) || isError(b) { return isError(a) && isError(b) }
        guard let x = a as? [String: Any], let y = b as? [String: Any], let kx = x.keys.first, x.keys.count == 1, y.keys.first == kx else { return false }
        switch kx {
        case "double":
            if let s = x[kx] as? String { return (y[kx] as? String) == s }
            guard let p = (x[kx] as? NSNumber)?.doubleValue, let q = (y[kx] as? NSNumber)?.doubleValue else { return false }
            return p == q
        case "list":
            guard let p = x[kx] as? [Any], let q = y[kx] as? [Any], p.count == q.count else { return false }
            return zip(p, q).allSatisfy { same($0, $1) }
        case "map":
            guard let p = x[kx] as? [[Any]], let q = y[kx] as? [[Any]], p.count == q.count else { return false }
            return p.allSatisfy { entry in q.contains { same(entry[0], $0[0]) && same(entry[1], $0[1]) } }
        case "null": return true
        default: return (x[kx] as? NSObject) == (y[kx] as? NSObject)
        }
    }
}

/// Deterministic random CEL expressions over the standard library, typed so that they
/// type-check in both implementations (no cross-type ordering, which cel-cpp's checker lacks;
/// mixed kinds meet only through `dyn` equality).
struct ExpressionGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next(_ n: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(n))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }

    mutating func expression() -> String {
        switch next(7) {
        case 0: return int(3)
        case 1: return uint(3)
        case 2: return double(3)
        case 3: return string(3)
        case 4: return list(2)
        case 5: return map(2)
        default: return bool(3)
        }
    }

    mutating func int(_ d: Int) -> String {
        if d == 0 { return pick(["0", "1", "-3", "7", "42", "-9223372036854775807", "9223372036854775807", "100"]) }
        switch next(9) {
        case 0: return "(\(int(d - 1)) \(pick(["+", "-", "*", "/", "%"])) \(int(d - 1)))"
        case 1: return "size(\(string(d - 1)))"
        case 2: return "size(\(list(d - 1)))"
        case 3: return "(\(bool(d - 1)) ? \(int(d - 1)) : \(int(d - 1)))"
        case 4: return "int(\(double(d - 1)))"
        case 5: return "int(\(uint(d - 1)))"
        case 6: return "\(list(d - 1))[\(pick(["0", "1", "5"]))]"
        case 7: return "-\(int(d - 1))"
        default: return "int(\(pick(["\"12\"", "\"-7\"", "\"x\"", "\"9223372036854775808\""])))"
        }
    }

    mutating func uint(_ d: Int) -> String {
        if d == 0 { return pick(["0u", "1u", "3u", "18446744073709551615u", "10u"]) }
        switch next(5) {
        case 0: return "(\(uint(d - 1)) \(pick(["+", "-", "*", "/", "%"])) \(uint(d - 1)))"
        case 1: return "uint(\(int(d - 1)))"
        case 2: return "uint(\(double(d - 1)))"
        case 3: return "(\(bool(d - 1)) ? \(uint(d - 1)) : \(uint(d - 1)))"
        default: return uint(0)
        }
    }

    mutating func double(_ d: Int) -> String {
        if d == 0 { return pick(["0.0", "1.5", "-2.25", "1e10", "0.1", "3.0"]) }
        switch next(5) {
        case 0: return "(\(double(d - 1)) \(pick(["+", "-", "*", "/"])) \(double(d - 1)))"
        case 1: return "double(\(int(d - 1)))"
        case 2: return "double(\(uint(d - 1)))"
        case 3: return "double(\(pick(["\"1.5\"", "\"-0.5\"", "\"x\""])))"
        default: return "(\(bool(d - 1)) ? \(double(d - 1)) : \(double(d - 1)))"
        }
    }

    mutating func string(_ d: Int) -> String {
        if d == 0 { return pick(["\"\"", "\"ab\"", "\"héllo\"", "'x y'", "\"AbC\""]) }
        switch next(5) {
        case 0: return "(\(string(d - 1)) + \(string(d - 1)))"
        case 1: return "string(\(int(d - 1)))"
        case 2: return "string(\(uint(d - 1)))"
        case 3: return "(\(bool(d - 1)) ? \(string(d - 1)) : \(string(d - 1)))"
        default: return "string(\(pick(["true", "b\"ab\""])))"
        }
    }

    mutating func bool(_ d: Int) -> String {
        if d == 0 { return pick(["true", "false"]) }
        switch next(12) {
        case 0: return "(\(int(d - 1)) \(pick(["==", "!=", "<", "<=", ">", ">="])) \(int(d - 1)))"
        case 1: return "(\(double(d - 1)) \(pick(["==", "<", ">="])) \(double(d - 1)))"
        case 2: return "(\(string(d - 1)) \(pick(["==", "<", ">"])) \(string(d - 1)))"
        case 3: return "(\(bool(d - 1)) \(pick(["&&", "||"])) \(bool(d - 1)))"
        case 4: return "!\(bool(d - 1))"
        case 5: return "\(string(d - 1)).\(pick(["contains", "startsWith", "endsWith"]))(\(string(d - 1)))"
        case 6: return "(\(int(d - 1)) in \(list(d - 1)))"
        case 7: return "\(list(d - 1)).\(pick(["exists", "all", "exists_one"]))(x, x \(pick([">", "==", "<"])) \(int(d - 1)))"
        case 8: return "(dyn(\(int(d - 1))) == dyn(\(pick(["1.0", "1u", "42.0", "0.0"]))))"
        case 9: return "\(string(d - 1)).matches(\(pick(["\"^a\"", "\"b+\"", "\"[A-Z]\"", "\"\""])))"
        case 10: return "has({\"a\": 1}.\(pick(["a", "b"])))"
        default: return "(\(uint(d - 1)) \(pick(["==", "<", ">"])) \(uint(d - 1)))"
        }
    }

    mutating func list(_ d: Int) -> String {
        if d == 0 { return pick(["[]", "[1, 2, 3]", "[-1]", "[5, 0]"]) }
        switch next(4) {
        case 0: return "[\(int(d - 1)), \(int(d - 1))]"
        case 1: return "(\(list(d - 1)) + \(list(d - 1)))"
        case 2: return "\(list(d - 1)).map(x, x \(pick(["*", "+", "-"])) \(int(d - 1)))"
        default: return "\(list(d - 1)).filter(x, x % 2 == 0)"
        }
    }

    mutating func map(_ d: Int) -> String {
        if d == 0 { return pick(["{}", "{\"a\": 1}", "{1: \"x\", 2: \"y\"}"]) }
        switch next(3) {
        case 0: return "{\"a\": \(int(d - 1)), \"b\": \(string(d - 1))}"
        case 1: return "{\(string(0)): \(double(d - 1))}"
        default: return "{\"k\": \(list(d - 1))}"
        }
    }
}
