import ArbiterEngine
import ArbiterJSON
import CEL
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler writing one JSON object per line to standard error, in the field names
/// Cerbos's JSON logs use (`log.level`, `@timestamp`, `log.logger`, `message`), with each metadata
/// entry as a field of its own: arrays stay arrays, so a list of diagnostics is one field of one
/// line however many lines the rendered diagnostics have.
struct JSONLogHandler: LogHandler {
    var label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let explicit { all.merge(explicit) { $1 } }
        fputs(Self.line(level: level, label: label, message: message.description, metadata: all,
                        now: Engine.currentTime()), stderr)
    }

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
