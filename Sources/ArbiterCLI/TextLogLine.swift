import CEL
import Logging

/// One log event as one text line:
/// `2026-12-07T01:02:03.456Z info arbiter: message key=value ...`. Line breaks inside a message
/// or a value are written as `\n`, so that one event is one line for journald and log shippers
/// (a rendered diagnostic carries its source line and a caret on lines of their own).
enum TextLogLine {
    /// The line, newline included; metadata keys sorted.
    static func line(level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, now: Timestamp) -> String {
        var out = "\(now.rfc3339) \(level.rawValue) \(label): \(escaped(message))"
        for key in metadata.keys.sorted() {
            out += " \(key)=\(escaped(text(metadata[key]!)))"
        }
        return out + "\n"
    }

    static func text(_ v: Logger.Metadata.Value) -> String {
        switch v {
        case let .string(s): return s
        case let .stringConvertible(c): return c.description
        case let .array(items): return "[" + items.map(text).joined(separator: "; ") + "]"
        case let .dictionary(d): return "{" + d.keys.sorted().map { "\($0)=\(text(d[$0]!))" }.joined(separator: ", ") + "}"
        }
    }

    static func escaped(_ s: String) -> String {
        guard s.contains(where: { $0 == "\n" || $0 == "\r" }) else { return s }
        return s.replacingNewlines()
    }
}

private extension String {
    func replacingNewlines() -> String {
        var out = ""
        out.reserveCapacity(utf8.count + 8)
        for c in unicodeScalars {
            switch c {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
