import CEL
import OrderedCollections

/// The recursive-descent parser behind `JSONReader`; one instance per document.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var pos = 0
    var depth = 0
    let maxDepth: Int
    /// The caller's protocol vocabulary for object keys (see `parseKey`), if it gave one.
    let knownKeys: JSONKnownKeys.Lookup?
    /// Reused between strings so that escaped strings do not allocate a buffer each.
    private var scratch: [UInt8] = []
    /// Keys of the objects being parsed, innermost last (see `parseObject`).
    private var keys: JSONMemberStack<MapKey>
    /// Member values of the objects and elements of the arrays being parsed, innermost last.
    private var values: JSONMemberStack<Value>

    /// Call `release()` when done with the parser.
    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, knownKeys: JSONKnownKeys? = nil) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.knownKeys = knownKeys?.lookup
        // Sized so that a request-sized document never grows them.
        let capacity = min(64, max(8, bytes.count / 12))
        keys = JSONMemberStack(capacity: capacity)
        values = JSONMemberStack(capacity: capacity)
    }

    /// Frees the member stacks.
    func release() {
        keys.release()
        values.release()
    }

    mutating func parseDocument() throws -> Value {
        skipWhitespace()
        if pos >= bytes.count { throw error(at: pos, "expected a JSON value, found end of input") }
        let value = try parseValue()
        skipWhitespace()
        if pos < bytes.count {
            throw error(at: pos, "expected end of input after the JSON value, found \(describe(pos))")
        }
        return value
    }

    // MARK: - Values

    mutating func parseValue() throws -> Value {
        guard pos < bytes.count else { throw error(at: pos, "expected a JSON value, found end of input") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .double(try parseNumber())
        default: throw error(at: pos, "expected a JSON value, found \(describe(pos))")
        }
    }

    private mutating func parseObject() throws -> Value {
        let open = pos
        try enter(open)
        pos += 1
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") {
            pos += 1
            depth -= 1
            return .map(MapValue(OrderedDictionary<MapKey, Value>()))
        }
        // Members collect on shared stacks and the dictionary is built once at its final size:
        // growing it member by member reallocated its key and value arrays about log2(n) times
        // per object. A nested object or array pushes and pops its own members above ours, so
        // the stacks are back at this object's top when a value returns. After an error the
        // members stay on the stacks until `release`.
        let first = keys.count
        // The value stack also holds the elements of enclosing arrays, so it has its own mark.
        let firstValue = values.count
        var seen: Set<MapKey>?
        while true {
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
                throw error(at: pos, "expected a string object key, found \(describe(pos))")
            }
            let keyOffset = pos
            let key = MapKey.string(try parseKey())
            // protojson rejects duplicate keys in a Struct rather than silently picking one.
            // Small objects compare linearly; large ones switch to a set.
            if var set = seen {
                seen = nil
                let inserted = set.insert(key).inserted
                seen = set
                if !inserted { throw duplicateKey(key, at: keyOffset) }
            } else {
                var i = first
                while i < keys.count {
                    if keys[i] == key { throw duplicateKey(key, at: keyOffset) }
                    i += 1
                }
                if keys.count - first >= 16 {
                    var set = Set<MapKey>(minimumCapacity: 64)
                    for j in first..<keys.count { set.insert(keys[j]) }
                    set.insert(key)
                    seen = set
                }
            }
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else {
                throw error(at: pos, "expected ':' after object key \"\(keyText(key))\", found \(describe(pos))")
            }
            pos += 1
            skipWhitespace()
            let value = try parseValue()
            keys.push(key)
            values.push(value)
            skipWhitespace()
            guard pos < bytes.count else {
                throw error(at: pos, "expected ',' or '}' in object opened at byte \(open), found end of input")
            }
            let b = bytes[pos]
            pos += 1
            if b == UInt8(ascii: ",") { continue }
            if b == UInt8(ascii: "}") { break }
            throw error(at: pos - 1, "expected ',' or '}' after object member, found \(describe(pos - 1))")
        }
        depth -= 1
        let storage = OrderedDictionary<MapKey, Value>(uncheckedUniqueKeys: keys.pop(from: first), values: values.pop(from: firstValue))
        return .map(MapValue(storage))
    }

    private func keyText(_ key: MapKey) -> String {
        if case let .string(s) = key { return s }
        return ""
    }

    private func duplicateKey(_ key: MapKey, at offset: Int) -> JSONParseError {
        error(at: offset, "duplicate object key \"\(keyText(key))\"")
    }

    private mutating func parseArray() throws -> Value {
        let open = pos
        try enter(open)
        pos += 1
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") {
            pos += 1
            depth -= 1
            return .list([])
        }
        // Elements collect on the shared stack and the array is allocated once at its final size.
        let first = values.count
        while true {
            skipWhitespace()
            let value = try parseValue()
            values.push(value)
            skipWhitespace()
            guard pos < bytes.count else {
                throw error(at: pos, "expected ',' or ']' in array opened at byte \(open), found end of input")
            }
            let b = bytes[pos]
            pos += 1
            if b == UInt8(ascii: ",") { continue }
            if b == UInt8(ascii: "]") { break }
            throw error(at: pos - 1, "expected ',' or ']' after array element, found \(describe(pos - 1))")
        }
        depth -= 1
        return .list(values.pop(from: first))
    }

    mutating func enter(_ offset: Int) throws {
        depth += 1
        if depth > maxDepth {
            throw error(at: offset, "nesting deeper than the limit of \(maxDepth)")
        }
    }

    mutating func expectLiteral(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        let start = pos
        var i = 0
        while i < n {
            let p = start + i
            if p >= bytes.count || bytes[p] != word.utf8Start[i] {
                throw error(at: start, "expected a JSON value, found \(describe(start))")
            }
            i += 1
        }
        pos += n
        if pos < bytes.count, isIdentifierByte(bytes[pos]) {
            throw error(at: start, "expected a JSON value, found \(describe(start))")
        }
    }

    // MARK: - Numbers

    private mutating func parseNumber() throws -> Double {
        let start = pos
        var negative = false
        if bytes[pos] == UInt8(ascii: "-") {
            negative = true
            pos += 1
        }
        guard pos < bytes.count, isDigit(bytes[pos]) else {
            throw error(at: pos, "expected a digit in number, found \(describe(pos))")
        }
        var mantissa: UInt64 = 0
        var digits = 0
        if bytes[pos] == UInt8(ascii: "0") {
            pos += 1
            if pos < bytes.count, isDigit(bytes[pos]) {
                throw error(at: start, "numbers may not have leading zeros")
            }
            digits = 1
        } else {
            while pos < bytes.count, isDigit(bytes[pos]) {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[pos] &- 48) }
                digits += 1
                pos += 1
            }
        }
        var simple = true
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            simple = false
            pos += 1
            guard pos < bytes.count, isDigit(bytes[pos]) else {
                throw error(at: pos, "expected a digit after '.' in number, found \(describe(pos))")
            }
            while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            simple = false
            pos += 1
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            guard pos < bytes.count, isDigit(bytes[pos]) else {
                throw error(at: pos, "expected a digit in the exponent, found \(describe(pos))")
            }
            while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count, isIdentifierByte(bytes[pos]) {
            throw error(at: pos, "expected a delimiter after number, found \(describe(pos))")
        }
        // Integers below 2^53 convert exactly; everything else goes through the correctly
        // rounded standard-library conversion.
        if simple, digits <= 15 {
            let d = Double(mantissa)
            return negative ? -d : d
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
        guard let d = Double(text), d.isFinite else {
            throw error(at: start, "number \(text) is out of the range of a double")
        }
        return d
    }

    // MARK: - Strings

    /// An object key; the caller's known keys (`JSONKnownKeys`) come from its lookup instead of
    /// being built. Anything else (escapes, non-ASCII, long or unknown keys) is a string.
    mutating func parseKey() throws -> String {
        guard let knownKeys else { return try parseString() }
        let start = pos + 1
        var p = start
        while p < bytes.count, p - start < 16 {
            let b = bytes[p]
            if b == UInt8(ascii: "\"") {
                if let known = knownKeys(bytes, start, p) {
                    pos = p + 1
                    return known
                }
                break
            }
            if b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { break }
            p += 1
        }
        return try parseString()
    }

    mutating func parseString() throws -> String {
        let open = pos
        pos += 1
        let start = pos
        var hasEscape = false
        // First pass: find the end, validate UTF-8 and control characters.
        while true {
            guard pos < bytes.count else {
                throw error(at: pos, "expected '\"' to close the string opened at byte \(open), found end of input")
            }
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                hasEscape = true
                // An escape must be ASCII; checking here keeps the UTF-8 scan aligned.
                if pos + 1 < bytes.count, bytes[pos + 1] >= 0x80 {
                    throw error(at: pos, "invalid escape in string: '\\' followed by a non-ASCII byte")
                }
                pos += 2
                continue
            }
            if b < 0x20 {
                throw error(at: pos, "control character U+\(hex4(UInt32(b))) must be escaped in a string")
            }
            if b < 0x80 {
                pos += 1
            } else {
                pos += try validateUTF8Sequence(at: pos)
            }
        }
        let end = pos
        pos += 1
        if !hasEscape {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        return try unescape(start, end)
    }

    private mutating func unescape(_ start: Int, _ end: Int) throws -> String {
        scratch.removeAll(keepingCapacity: true)
        var i = start
        while i < end {
            let b = bytes[i]
            if b != UInt8(ascii: "\\") {
                scratch.append(b)
                i += 1
                continue
            }
            guard i + 1 < end else { throw error(at: i, "expected an escape character after '\\'") }
            let c = bytes[i + 1]
            switch c {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hexEscape(at: i, end: end)
                i += 6
                if scalar >= 0xD800, scalar <= 0xDBFF {
                    guard i + 1 < end, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw error(at: i - 6, "high surrogate \\u\(hex4(scalar)) is not followed by a low surrogate escape")
                    }
                    let low = try hexEscape(at: i, end: end)
                    guard low >= 0xDC00, low <= 0xDFFF else {
                        throw error(at: i, "expected a low surrogate escape after \\u\(hex4(scalar)), found \\u\(hex4(low))")
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if scalar >= 0xDC00, scalar <= 0xDFFF {
                    throw error(at: i - 6, "low surrogate \\u\(hex4(scalar)) without a preceding high surrogate")
                }
                appendUTF8(scalar)
                continue
            default:
                throw error(at: i, "invalid escape '\\\(describeByte(c))' in string")
            }
            i += 2
        }
        return String(decoding: scratch, as: UTF8.self)
    }

    private func hexEscape(at i: Int, end: Int) throws -> UInt32 {
        guard i + 6 <= end else { throw error(at: i, "expected four hex digits after '\\u'") }
        var v: UInt32 = 0
        for k in 2..<6 {
            let h = bytes[i + k]
            let d: UInt32
            switch h {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(h - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(h - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(h - 55)
            default: throw error(at: i + k, "expected a hex digit in '\\u' escape, found \(describe(i + k))")
            }
            v = v << 4 | d
        }
        return v
    }

    private mutating func appendUTF8(_ s: UInt32) {
        if s < 0x80 {
            scratch.append(UInt8(s))
        } else if s < 0x800 {
            scratch.append(UInt8(0xC0 | (s >> 6)))
            scratch.append(UInt8(0x80 | (s & 0x3F)))
        } else if s < 0x10000 {
            scratch.append(UInt8(0xE0 | (s >> 12)))
            scratch.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (s & 0x3F)))
        } else {
            scratch.append(UInt8(0xF0 | (s >> 18)))
            scratch.append(UInt8(0x80 | ((s >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (s & 0x3F)))
        }
    }

    /// Checks one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF)
    /// and returns its length.
    private func validateUTF8Sequence(at i: Int) throws -> Int {
        let b0 = bytes[i]
        let length: Int
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; hi = 0x9F
        case 0xF0: length = 4; lo = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; hi = 0x8F
        default: throw error(at: i, "invalid UTF-8 byte 0x\(hex2(b0)) in string")
        }
        guard i + length <= bytes.count else { throw error(at: i, "truncated UTF-8 sequence in string") }
        let b1 = bytes[i + 1]
        guard b1 >= lo, b1 <= hi else { throw error(at: i, "invalid UTF-8 sequence in string") }
        var k = 2
        while k < length {
            guard bytes[i + k] & 0xC0 == 0x80 else { throw error(at: i, "invalid UTF-8 sequence in string") }
            k += 1
        }
        return length
    }

    // MARK: - Helpers

    mutating func skipWhitespace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x0A, 0x0D, 0x09: pos += 1
            default: return
            }
        }
    }

    private func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }

    private func isIdentifierByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "+"),
             UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    func error(at offset: Int, _ message: String) -> JSONParseError {
        JSONParseError.at(offset, in: bytes, message)
    }

    private func describe(_ i: Int) -> String {
        guard i < bytes.count else { return "end of input" }
        return "'\(describeByte(bytes[i]))'"
    }

    private func describeByte(_ b: UInt8) -> String {
        if b >= 0x20, b < 0x7F { return String(UnicodeScalar(b)) }
        return "\\x" + hex2(b)
    }

    private func hex2(_ b: UInt8) -> String {
        let s = String(b, radix: 16, uppercase: true)
        return s.count == 1 ? "0" + s : s
    }

    private func hex4(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}
