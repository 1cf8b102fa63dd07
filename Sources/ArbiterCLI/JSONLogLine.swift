import ArbiterJSON
import CEL
import Logging

/// One log event as one JSON object on one line, in the field names
/// Cerbos's JSON logs use (`log.level`, `@timestamp`, `log.logger`, `message`), with each metadata
/// entry as a field of its own: arrays stay arrays, so a list of diagnostics is one field of one
/// line however many lines the rendered diagnostics have.
enum JSONLogLine {
    /// The JSON line, newline included; metadata keys sorted so lines compare stably.
    static func line(level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, now: Timestamp) -> String {
        var fields: [(String, Value)] = [("log.level", .string(level.rawValue)), ("@timestamp", .string(now.rfc3339)),
                                         ("log.logger", .string(label)), ("message", .string(message))]
        for key in metadata.keys.sorted() where !["log.level", "@timestamp", "log.logger", "message"].contains(key) {
            fields.append((key, value(metadata[key]!)))
        }
        var w = JSONWriter(capacity: 256)
        // Strings, lists and maps of strings always have a JSON form: this cannot throw.
        try! w.write(.map(MapValue(stringKeyed: fields)))
        w.bytes.append(UInt8(ascii: "\n"))
        return String(decoding: w.bytes, as: UTF8.self)
    }

    static func value(_ v: Logger.Metadata.Value) -> Value {
        switch v {
        case let .string(s): return .string(s)
        case let .stringConvertible(c): return .string(c.description)
        case let .array(items): return .list(items.map(value))
        case let .dictionary(d): return .map(MapValue(stringKeyed: d.keys.sorted().map { ($0, value(d[$0]!)) }))
        }
    }
}
