import CEL
import OrderedCollections

/// Writes CEL values as compact JSON in protojson's style, into a growing byte array.
///
/// Doubles use the shortest round-trip digits without a fraction when integral (`1`, not
/// `1.0`), exponent form below 1e-6 and from 1e21 as Go's `strconv` does, and `"NaN"`,
/// `"Infinity"`, `"-Infinity"` as strings. Ints and uints are plain numbers, timestamps RFC 3339
/// in UTC, durations `"1.5s"`, bytes standard base64, types their names, `optional.none` null.
public struct JSONWriter: Sendable {
    /// The JSON written so far.
    public var bytes: [UInt8]

    /// Creates an empty writer with room for `capacity` bytes.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Encodes `value` as a standalone JSON document.
    public static func encode(_ value: Value) throws -> [UInt8] {
        var w = JSONWriter()
        try w.write(value)
        return w.bytes
    }

    /// Encodes `value` and returns the JSON as a string (tests and diagnostics).
    public static func encodeString(_ value: Value) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }

    /// Appends `value`. Error, unknown and non-JSON object values cannot be written.
    public mutating func write(_ value: Value) throws {
        switch value {
        case .null: appendASCII("null")
        case let .bool(b): appendASCII(b ? "true" : "false")
        case let .int(i): writeInt(i)
        case let .uint(u): writeUInt(u)
        case let .double(d): writeDouble(d)
        case let .string(s): writeString(s)
        case let .bytes(b): bytes.append(0x22); Base64.encode(b, into: &bytes); bytes.append(0x22)
        case let .list(items):
            bytes.append(UInt8(ascii: "["))
            var first = true
            for item in items {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                try write(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case let .map(m):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for (k, v) in m.storage {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                writeKey(k)
                bytes.append(UInt8(ascii: ":"))
                try write(v)
            }
            bytes.append(UInt8(ascii: "}"))
        case let .timestamp(t):
            guard t.isInRange, t.nanos >= 0, t.nanos < 1_000_000_000 else {
                throw JSONEncodingError("timestamp \(t.seconds)s is outside 0001-01-01..9999-12-31")
            }
            writeString(t.rfc3339(.groupsOfThree))
        case let .duration(d): writeString(d.secondsText(.groupsOfThree))
        case let .type(t): writeString(t.name)
        case let .optional(inner):
            if let inner { try write(inner) } else { appendASCII("null") }
        case let .error(e): throw JSONEncodingError("cannot write an error value as JSON: \(e.message)")
        case .unknown: throw JSONEncodingError("cannot write an unknown value as JSON")
        case let .object(o):
            guard let r = o as? any JSONRepresentable else {
                throw JSONEncodingError("cannot write a value of type \(o.celType.name) as JSON")
            }
            try write(r.jsonValue)
        }
    }

    /// Appends a JSON string literal with protojson's escaping.
    public mutating func writeString(_ s: String) {
        bytes.append(0x22)
        var s = s
        s.withUTF8 { utf8 in
            var runStart = 0
            var i = 0
            while i < utf8.count {
                let b = utf8[i]
                if b >= 0x20, b != 0x22, b != 0x5C {
                    i += 1
                    continue
                }
                if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
                bytes.append(0x5C)
                switch b {
                case 0x22, 0x5C: bytes.append(b)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    appendASCII("u00")
                    bytes.append(JSONWriter.hexDigits[Int(b >> 4)])
                    bytes.append(JSONWriter.hexDigits[Int(b & 0xF)])
                }
                i += 1
                runStart = i
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(0x22)
    }

    /// Appends already-encoded JSON verbatim (used to splice envelopes around a result).
    public mutating func writeRaw(_ json: [UInt8]) {
        bytes.append(contentsOf: json)
    }

    /// Appends ASCII punctuation or a literal.
    public mutating func appendASCII(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Appends an integer as a JSON number.
    public mutating func writeInt(_ i: Int64) {
        if i < 0 {
            bytes.append(UInt8(ascii: "-"))
            writeUInt(i.magnitude)
        } else {
            writeUInt(UInt64(i))
        }
    }

    /// Appends an unsigned integer as a JSON number.
    public mutating func writeUInt(_ u: UInt64) {
        if u < 10 {
            bytes.append(UInt8(truncatingIfNeeded: u) &+ 48)
            return
        }
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes > 20 digits
        withUnsafeMutableBytes(of: &tmp) { buf in
            var v = u
            var p = buf.count
            while v > 0 {
                p -= 1
                buf[p] = UInt8(truncatingIfNeeded: v % 10) &+ 48
                v /= 10
            }
            bytes.append(contentsOf: buf[p...])
        }
    }

    /// Appends a double the way protojson does (see the type's summary).
    public mutating func writeDouble(_ d: Double) {
        if d.isNaN { appendASCII("\"NaN\""); return }
        if d.isInfinite { appendASCII(d < 0 ? "\"-Infinity\"" : "\"Infinity\""); return }
        if d == d.rounded(.towardZero), d.magnitude < 9.007_199_254_740_992e15 {
            if d == 0, d.sign == .minus { appendASCII("-0"); return }
            writeInt(Int64(d))
            return
        }
        bytes.append(contentsOf: GoFloat.format(d, .json).utf8)
    }

    private mutating func writeKey(_ k: MapKey) {
        switch k {
        case let .string(s): writeString(s)
        case let .bool(b): appendASCII(b ? "\"true\"" : "\"false\"")
        case let .int(i): bytes.append(0x22); writeInt(i); bytes.append(0x22)
        case let .uint(u): bytes.append(0x22); writeUInt(u); bytes.append(0x22)
        }
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

/// A value that cannot be written as JSON (errors, unknowns, opaque objects, bad timestamps).
public struct JSONEncodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What could not be written.
    public var message: String
    /// Creates the error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

extension Value {
    /// The value as JSON text, for error messages that quote what the user wrote (not CEL's
    /// debug form); a value JSON cannot carry falls back to its description.
    public var jsonForMessage: String {
        do { return try JSONWriter.encodeString(self) } catch { return "\(self)" }
    }
}

/// An extension value (an `ObjectValue`) that has a JSON form.
public protocol JSONRepresentable {
    /// The JSON-shaped value written in place of the object.
    var jsonValue: Value { get }
}
