#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `string.format(list)` as cel-go's strings extension (latest, "v2" formatter) does it:
/// clauses `%s %d %f %e %b %o %x %X`, an optional `.N` precision (at most 100), `%%` escapes.
enum StringFormatter {
    static let defaultPrecision = 6
    static let maxPrecision = 100

    static func format(_ template: String, _ args: [Value]) -> Result<String, EvalError> {
        let b = Array(template.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0, argIndex = 0
        while i < b.count {
            guard b[i] == UInt8(ascii: "%") else { out.append(b[i]); i += 1; continue }
            if i + 1 < b.count, b[i + 1] == UInt8(ascii: "%") { out.append(b[i]); i += 2; continue }
            guard argIndex < args.count else { return .failure(EvalError("index \(argIndex) out of range")) }
            guard i + 1 < b.count else { return .failure(EvalError("unexpected end of string")) }
            i += 1
            var precision = defaultPrecision
            if b[i] == UInt8(ascii: ".") {
                i += 1
                var digits = ""
                while i < b.count, b[i] >= 48, b[i] <= 57 { digits.append(Character(Unicode.Scalar(b[i]))); i += 1 }
                guard i < b.count else {
                    return .failure(clauseError("error while parsing precision: could not find end of precision specifier"))
                }
                guard let p = Int(digits) else {
                    return .failure(clauseError("error while parsing precision: error while converting precision to integer: strconv.Atoi: parsing \"\(digits)\": invalid syntax"))
                }
                guard p <= maxPrecision else {
                    return .failure(clauseError("error while parsing precision: precision \(p) exceeds maximum allowed precision \(maxPrecision)"))
                }
                precision = p
            }
            let verb = b[i]
            i += 1
            let arg = args[argIndex]
            argIndex += 1
            let formatted: Result<String, FormatProblem>
            switch verb {
            case UInt8(ascii: "s"): formatted = string(arg)
            case UInt8(ascii: "d"): formatted = decimal(arg)
            case UInt8(ascii: "f"): formatted = fixed(arg, precision)
            case UInt8(ascii: "e"): formatted = scientific(arg, precision)
            case UInt8(ascii: "b"): formatted = binary(arg)
            case UInt8(ascii: "x"): formatted = hex(arg, upper: false)
            case UInt8(ascii: "X"): formatted = hex(arg, upper: true)
            case UInt8(ascii: "o"): formatted = octal(arg)
            default:
                let shown = verb < 0x80 ? String(Character(Unicode.Scalar(verb))) : "\u{FFFD}"
                return .failure(clauseError("unrecognized formatting clause \"\(shown)\""))
            }
            switch formatted {
            case let .success(text): out.append(contentsOf: text.utf8)
            case let .failure(problem): return .failure(EvalError("error during formatting: \(problem.message)"))
            }
        }
        return .success(String(decoding: out, as: UTF8.self))
    }

    static func clauseError(_ message: String) -> EvalError {
        EvalError("could not parse formatting clause: \(message)")
    }

    static func typeName(_ v: Value) -> String { v.celType.name }

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
            return .failure("string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given \(typeName(v))")
        }
    }

    static func decimal(_ v: Value) -> Result<String, FormatProblem> {
        switch v {
        case let .int(i): return .success(String(i))
        case let .uint(u): return .success(String(u))
        case let .double(d): return .success(special(d) ?? shortestFixed(d))
        default: return .failure("decimal clause can only be used on ints, uints, and doubles, was given \(typeName(v))")
        }
    }

    static func fixed(_ v: Value, _ precision: Int) -> Result<String, FormatProblem> {
        guard let d = asDouble(v) else {
            return .failure("fixed-point clause can only be used on ints, uints, and doubles, was given \(typeName(v))")
        }
        return .success(special(d) ?? printf(d, precision, "f"))
    }

    static func scientific(_ v: Value, _ precision: Int) -> Result<String, FormatProblem> {
        guard let d = asDouble(v) else {
            return .failure("scientific clause can only be used on ints, uints, and doubles, was given \(typeName(v))")
        }
        return .success(special(d) ?? printf(d, precision, "e"))
    }

    static func binary(_ v: Value) -> Result<String, FormatProblem> {
        switch v {
        case let .bool(b): return .success(b ? "1" : "0")
        case let .int(i): return .success(String(i, radix: 2))
        case let .uint(u): return .success(String(u, radix: 2))
        default: return .failure("only ints, uints, and bools can be formatted as binary, was given \(typeName(v))")
        }
    }

    static func hex(_ v: Value, upper: Bool) -> Result<String, FormatProblem> {
        let text: String
        switch v {
        case let .int(i): text = String(i, radix: 16)
        case let .uint(u): text = String(u, radix: 16)
        case let .string(s): text = hexBytes(Array(s.utf8))
        case let .bytes(b): text = hexBytes(b)
        default: return .failure("only ints, uints, bytes, and strings can be formatted as hex, was given \(typeName(v))")
        }
        return .success(upper ? text.uppercased() : text)
    }

    static func octal(_ v: Value) -> Result<String, FormatProblem> {
        switch v {
        case let .int(i): return .success(String(i, radix: 8))
        case let .uint(u): return .success(String(u, radix: 8))
        default: return .failure("octal clause can only be used on ints and uints, was given \(typeName(v))")
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
    static func shortestFixed(_ d: Double) -> String {
        if d == 0 { return d.sign == .minus ? "-0" : "0" }
        var text = "\(d.magnitude)"
        var exp = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exp = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let intPart: Substring, fracPart: Substring
        if let dot = text.firstIndex(of: ".") {
            intPart = text[..<dot]; fracPart = text[text.index(after: dot)...]
        } else {
            intPart = Substring(text); fracPart = ""
        }
        var digits = Array(intPart + fracPart)
        var point = intPart.count + exp
        while digits.count > 1, digits.first == "0" { digits.removeFirst(); point -= 1 }
        while digits.count > 1, digits.last == "0", digits.count > max(point, 1) { digits.removeLast() }
        var out = d < 0 ? "-" : ""
        if point <= 0 {
            out += "0." + String(repeating: "0", count: -point) + String(digits)
        } else if point >= digits.count {
            out += String(digits) + String(repeating: "0", count: point - digits.count)
        } else {
            out += String(digits[..<point]) + "." + String(digits[point...])
        }
        return out
    }
}

/// Why a value cannot be formatted by a clause (cel-go's message, without the prefix).
struct FormatProblem: Error, ExpressibleByStringInterpolation {
    var message: String
    init(stringLiteral value: String) { message = value }
}
