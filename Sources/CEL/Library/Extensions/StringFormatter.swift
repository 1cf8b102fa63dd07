#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import OrderedCollections

/// `string.format(list)` as cel-go's strings extension (latest, "v2" formatter) does it:
/// clauses `%s %d %f %e %b %o %x %X`, an optional `.N` precision (at most 100), `%%` escapes.
enum StringFormatter {
    static let defaultPrecision = 6
    static let maxPrecision = 100

    /// One formatting clause: its verb and precision.
    struct Clause {
        var verb: UInt8
        var precision: Int
    }

    /// The pieces of a format string in order: literal bytes and clauses (cel-go's
    /// `parseFormatStringV2` walk). `argument` is called for each clause with its ordinal before the
    /// clause is parsed, and may stop the walk with an error, as cel-go checks the argument first.
    static func scan(_ template: String, literal: (UInt8) -> Void, argument: (Int) -> EvalError?,
                     clause: (Clause, Int) -> EvalError?) -> EvalError? {
        let b = Array(template.utf8)
        var i = 0, argIndex = 0
        while i < b.count {
            guard b[i] == UInt8(ascii: "%") else { literal(b[i]); i += 1; continue }
            if i + 1 < b.count, b[i + 1] == UInt8(ascii: "%") { literal(b[i]); i += 2; continue }
            if let e = argument(argIndex) { return e }
            guard i + 1 < b.count else { return EvalError("unexpected end of string") }
            i += 1
            var precision = defaultPrecision
            if b[i] == UInt8(ascii: ".") {
                i += 1
                var digits = ""
                while i < b.count, b[i] >= 48, b[i] <= 57 { digits.append(Character(Unicode.Scalar(b[i]))); i += 1 }
                guard i < b.count else {
                    return clauseError("error while parsing precision: could not find end of precision specifier")
                }
                guard let p = Int(digits) else {
                    return clauseError("error while parsing precision: error while converting precision to integer: strconv.Atoi: parsing \"\(digits)\": invalid syntax")
                }
                guard p <= maxPrecision else {
                    return clauseError("error while parsing precision: precision \(p) exceeds maximum allowed precision \(maxPrecision)")
                }
                precision = p
            }
            let verb = b[i]
            i += 1
            guard Array("sdfebxXo".utf8).contains(verb) else {
                let shown = verb < 0x80 ? String(Character(Unicode.Scalar(verb))) : "\u{FFFD}"
                return clauseError("unrecognized formatting clause \"\(shown)\"")
            }
            if let e = clause(Clause(verb: verb, precision: precision), argIndex) { return e }
            argIndex += 1
        }
        return nil
    }

    /// `format(_:_:)` admitted first at an upper bound of its size: the template plus a
    /// rendering of every argument.
    static func format(_ template: String, _ args: [Value], budget: inout EvaluationBudget) -> Result<String, EvalError> {
        let cap = budget.limits.maxStringSize
        var bound = template.utf8.count
        for arg in args where bound <= cap {
            // A string argument is copied as it is; inside lists and maps strings are quoted.
            if case let .string(s) = arg { bound += s.utf8.count } else { bound += arg.renderedSizeBound(bytesPerByte: 6, cap: cap) }
        }
        if case let .error(e)? = budget.admitString(bound, by: "format") { return .failure(e) }
        return format(template, args)
    }

    static func format(_ template: String, _ args: [Value]) -> Result<String, EvalError> {
        var out: [UInt8] = []
        out.reserveCapacity(template.utf8.count)
        let failure = scan(template, literal: { out.append($0) }, argument: { index in
            index < args.count ? nil : EvalError("index \(index) out of range")
        }, clause: { clause, index in
            switch apply(clause, to: args[index]) {
            case let .success(text): out.append(contentsOf: text.utf8); return nil
            case let .failure(problem): return EvalError("error during formatting: \(problem.message)")
            }
        })
        if let failure { return .failure(failure) }
        return .success(String(decoding: out, as: UTF8.self))
    }

    static func apply(_ clause: Clause, to arg: Value) -> Result<String, FormatProblem> {
        switch clause.verb {
        case UInt8(ascii: "s"): return string(arg)
        case UInt8(ascii: "d"): return decimal(arg)
        case UInt8(ascii: "f"): return fixed(arg, clause.precision)
        case UInt8(ascii: "e"): return scientific(arg, clause.precision)
        case UInt8(ascii: "b"): return binary(arg)
        case UInt8(ascii: "x"): return hex(arg, upper: false)
        case UInt8(ascii: "X"): return hex(arg, upper: true)
        default: return octal(arg)
        }
    }

    static func clauseError(_ message: String) -> EvalError {
        EvalError("could not parse formatting clause: \(message)")
    }

    /// cel-go's message for a clause given a value of the wrong type (`typeName` as cel-go prints types).
    static func typeError(verb: UInt8, typeName: String) -> String {
        switch verb {
        case UInt8(ascii: "s"): return "string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given \(typeName)"
        case UInt8(ascii: "d"): return "decimal clause can only be used on ints, uints, and doubles, was given \(typeName)"
        case UInt8(ascii: "f"): return "fixed-point clause can only be used on ints, uints, and doubles, was given \(typeName)"
        case UInt8(ascii: "e"): return "scientific clause can only be used on ints, uints, and doubles, was given \(typeName)"
        case UInt8(ascii: "b"): return "only ints, uints, and bools can be formatted as binary, was given \(typeName)"
        case UInt8(ascii: "x"), UInt8(ascii: "X"): return "only ints, uints, bytes, and strings can be formatted as hex, was given \(typeName)"
        default: return "octal clause can only be used on ints and uints, was given \(typeName)"
        }
    }

    static func typeProblem(_ verb: Unicode.Scalar, _ v: Value) -> FormatProblem {
        FormatProblem(stringLiteral: typeError(verb: UInt8(verb.value), typeName: v.celType.name))
    }

    /// `%s`: every scalar, lists and maps (keys sorted by their text), types, durations and timestamps.
    static func string(_ v: Value) -> Result<String, FormatProblem> {
        switch v {
        case let .bool(b): return .success(b ? "true" : "false")
        case let .int(i): return .success(String(i))
        case let .uint(u): return .success(String(u))
        case let .double(d): return .success(special(d) ?? shortestFixed(d))
        case let .bytes(b): return .success(String(decoding: b, as: UTF8.self))
        case let .string(s): return .success(s)
        case let .duration(d): return .success(shortestFixed(seconds(d)) + "s")
        case let .timestamp(t): return .success(t.rfc3339)
        case .null: return .success("null")
        case let .type(t): return .success(t.name)
        case let .list(items):
            var parts: [String] = []
            for item in items {
                switch string(item) {
                case let .success(s): parts.append(s)
                case let .failure(e): return .failure(e)
                }
            }
            return .success("[" + parts.joined(separator: ", ") + "]")
        case let .map(m):
            var entries: [(String, String)] = []
            for (k, value) in m.storage {
                guard case let .success(ks) = string(k.value) else { return string(k.value) }
                switch string(value) {
                case let .success(vs): entries.append((ks, vs))
                case let .failure(e): return .failure(e)
                }
            }
            // Byte-wise order, as Go compares strings; the sort is stable like sort.SliceStable.
            let sorted = entries.enumerated().sorted { x, y in
                let a = Array(x.element.0.utf8), b = Array(y.element.0.utf8)
                return a.lexicographicallyPrecedes(b) || (a == b && x.offset < y.offset)
            }
            return .success("{" + sorted.map { "\($0.element.0): \($0.element.1)" }.joined(separator: ", ") + "}")
        default:
            return .failure(typeProblem("s", v))
        }
    }

    static func decimal(_ v: Value) -> Result<String, FormatProblem> {
        switch v {
        case let .int(i): return .success(String(i))
        case let .uint(u): return .success(String(u))
        case let .double(d): return .success(special(d) ?? shortestFixed(d))
        default: return .failure(typeProblem("d", v))
        }
    }

    static func fixed(_ v: Value, _ precision: Int) -> Result<String, FormatProblem> {
        guard let d = asDouble(v) else {
            return .failure(typeProblem("f", v))
        }
        return .success(special(d) ?? printf(d, precision, "f"))
    }

    static func scientific(_ v: Value, _ precision: Int) -> Result<String, FormatProblem> {
        guard let d = asDouble(v) else {
            return .failure(typeProblem("e", v))
        }
        return .success(special(d) ?? printf(d, precision, "e"))
    }

    static func binary(_ v: Value) -> Result<String, FormatProblem> {
        switch v {
        case let .bool(b): return .success(b ? "1" : "0")
        case let .int(i): return .success(String(i, radix: 2))
        case let .uint(u): return .success(String(u, radix: 2))
        default: return .failure(typeProblem("b", v))
        }
    }

    static func hex(_ v: Value, upper: Bool) -> Result<String, FormatProblem> {
        let text: String
        switch v {
        case let .int(i): text = String(i, radix: 16)
        case let .uint(u): text = String(u, radix: 16)
        case let .string(s): text = hexBytes(Array(s.utf8))
        case let .bytes(b): text = hexBytes(b)
        default: return .failure(typeProblem("x", v))
        }
        return .success(upper ? text.uppercased() : text)
    }

    static func octal(_ v: Value) -> Result<String, FormatProblem> {
        switch v {
        case let .int(i): return .success(String(i, radix: 8))
        case let .uint(u): return .success(String(u, radix: 8))
        default: return .failure(typeProblem("o", v))
        }
    }

    static func hexBytes(_ b: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count * 2)
        for x in b { out.append(digits[Int(x >> 4)]); out.append(digits[Int(x & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func asDouble(_ v: Value) -> Double? {
        switch v {
        case let .int(i): return Double(i)
        case let .uint(u): return Double(u)
        case let .double(d): return d
        default: return nil
        }
    }

    /// cel-go spells non-finite doubles `NaN`, `Infinity`, `-Infinity` in every clause.
    static func special(_ d: Double) -> String? {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        return nil
    }

    /// Go's `time.Duration.Seconds()`: whole seconds plus the nanosecond remainder.
    static func seconds(_ d: CELDuration) -> Double {
        Double(d.seconds) + Double(d.nanos) / 1e9
    }

    /// C's `%.*f` / `%.*e`, which round exactly like Go's `fmt` (round half to even on the exact binary value).
    static func printf(_ d: Double, _ precision: Int, _ verb: Character) -> String {
        let spec = "%.*" + String(verb)
        var buffer = [CChar](repeating: 0, count: 420)
        let n = buffer.withUnsafeMutableBufferPointer { buf in
            withVaList([Int32(precision), d]) { vsnprintf(buf.baseAddress, buf.count, spec, $0) }
        }
        guard n >= 0, Int(n) < buffer.count else { return String(d) }
        return String(decoding: buffer[0..<Int(n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Go's `strconv.FormatFloat(d, 'f', -1, 64)`: the shortest digits that round-trip, never an exponent.
    static func shortestFixed(_ d: Double) -> String { GoFloat.format(d, .f) }
}

/// Why a value cannot be formatted by a clause (cel-go's message, without the prefix).
struct FormatProblem: Error, ExpressibleByStringInterpolation {
    var message: String
    init(stringLiteral value: String) { message = value }
}
