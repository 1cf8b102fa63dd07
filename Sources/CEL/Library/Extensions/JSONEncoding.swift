import OrderedCollections

/// `json.encode(value)`: the value converted to `google.protobuf.Value` and written compactly as
/// protojson does (map keys sorted, int64 beyond ±2^53-1 as strings, bytes as base64,
/// timestamps and durations in their JSON string forms).
enum JSONEncoding {
    static let maxSafeInteger: Int64 = 9_007_199_254_740_991

    /// Appends the JSON text of `v`; returns an error for values JSON cannot hold.
    static func append(_ v: Value, to out: inout String) -> EvalError? {
        switch v {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i):
            if i >= -maxSafeInteger && i <= maxSafeInteger { out += String(i) } else { appendString(String(i), to: &out) }
        case let .uint(u):
            if u <= UInt64(maxSafeInteger) { out += String(u) } else { appendString(String(u), to: &out) }
        case let .double(d): appendDouble(d, to: &out)
        case let .string(s): appendString(s, to: &out)
        case let .bytes(b): appendString(Base64.encode(b), to: &out)
        case let .timestamp(t): appendString(t.rfc3339, to: &out)
        case let .duration(d): appendString(d.secondsText, to: &out)
        case let .list(items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if let e = append(item, to: &out) { return e }
            }
            out += "]"
        case let .map(m):
            var entries: [(String, Value)] = []
            for (k, value) in m.storage {
                guard case let .string(key) = k else {
                    return EvalError("unsupported map key type for JSON: \(k.value.celType)")
                }
                entries.append((key, value))
            }
            entries.sort { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
            out += "{"
            for (i, (key, value)) in entries.enumerated() {
                if i > 0 { out += "," }
                appendString(key, to: &out)
                out += ":"
                if let e = append(value, to: &out) { return e }
            }
            out += "}"
        case .optional(nil): out += "null"
        case let .optional(inner?): return append(inner, to: &out)
        case let .error(e): return e
        case .unknown: return EvalError("unknown value cannot be encoded as JSON")
        case .type, .object: return EvalError("type conversion error from '\(v.celType)' to 'google.protobuf.Value'")
        }
        return nil
    }

    /// encoding/json's float layout: plain decimals, exponent form below 1e-6 or from 1e21.
    static func appendDouble(_ d: Double, to out: inout String) {
        if d.isNaN { out += "\"NaN\""; return }
        if d.isInfinite { out += d < 0 ? "\"-Infinity\"" : "\"Infinity\""; return }
        out += GoFloat.format(d, .json)
    }

    static func appendString(_ s: String, to out: inout String) {
        out += "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if c.value < 0x20 {
                    let h = String(c.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        out += "\""
    }
}
