import ArbiterJSON
import CEL
import OrderedCollections

/// JSON text for JSON-shaped CEL values in reports, and structural equality for output
/// expectations (numbers compare by value, maps ignore key order).
enum JSONText {
    /// Renders `value` with the package's one JSON writer; maps keep insertion order unless
    /// `sortKeys`. A value JSON cannot hold (an error, an opaque object) is rendered as a
    /// JSON string naming the problem, so a report still says what it could not show.
    static func render(_ value: Value, pretty: Bool = false, sortKeys: Bool = true) -> String {
        let options = JSONWriter.DocumentOptions(pretty: pretty, sortedKeys: sortKeys)
        do {
            return try JSONWriter.encodeString(value, options)
        } catch {
            var writer = JSONWriter()
            writer.writeString("<\(error)>")
            return String(decoding: writer.bytes, as: UTF8.self)
        }
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
