import CEL

/// Minimal JSON text for JSON-shaped CEL values: rendering for reports and structural equality
/// for output expectations (numbers compare by value, maps ignore key order).
enum JSONText {
    /// Renders `value`; maps keep insertion order unless `sortKeys`.
    static func render(_ value: Value, pretty: Bool = false, sortKeys: Bool = true) -> String {
        var out = ""
        write(value, into: &out, pretty: pretty, sortKeys: sortKeys, depth: 0)
        return out
    }

    private static func write(_ value: Value, into out: inout String, pretty: Bool, sortKeys: Bool, depth: Int) {
        let newline = pretty ? "\n" + String(repeating: "  ", count: depth + 1) : ""
        let closing = pretty ? "\n" + String(repeating: "  ", count: depth) : ""
        switch value {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .uint(u): out += String(u)
        case let .double(d): out += number(d)
        case let .string(s): out += quoted(s)
        case let .list(items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                out += newline
                write(item, into: &out, pretty: pretty, sortKeys: sortKeys, depth: depth + 1)
            }
            out += closing + "]"
        case let .map(m):
            var entries = m.storage.map { (key: $0.key.jsonText, value: $0.value) }
            if entries.isEmpty { out += "{}"; return }
            if sortKeys { entries.sort { $0.key < $1.key } }
            out += "{"
            for (i, entry) in entries.enumerated() {
                if i > 0 { out += "," }
                out += newline + quoted(entry.key) + (pretty ? ": " : ":")
                write(entry.value, into: &out, pretty: pretty, sortKeys: sortKeys, depth: depth + 1)
            }
            out += closing + "}"
        default: out += quoted(String(describing: value))
        }
    }

    static func number(_ d: Double) -> String {
        if d.isNaN { return "\"NaN\"" }
        if d.isInfinite { return d > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Structural equality of JSON-shaped values.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.list(x), .list(y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case let (.map(x), .map(y)):
            guard x.storage.count == y.storage.count else { return false }
            for (k, v) in x.storage {
                guard let other = y.storage[k], equal(v, other) else { return false }
            }
            return true
        default:
            if let x = numeric(a), let y = numeric(b) { return x == y }
            return false
        }
    }

    private static func numeric(_ v: Value) -> Double? {
        switch v {
        case let .int(i): return Double(i)
        case let .uint(u): return Double(u)
        case let .double(d): return d
        default: return nil
        }
    }
}
