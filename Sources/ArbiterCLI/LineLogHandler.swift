import ArbiterEngine
import ArbiterServer
import CEL
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The daemon's swift-log handler: one line per event on standard error, in the format of
/// `server.log.format` (`TextLogLine` or `JSONLogLine`).
struct LineLogHandler: LogHandler {
    var label: String
    var logLevel: Logger.Level
    var format: ServerConfiguration.LogFormat
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, level: Logger.Level, format: ServerConfiguration.LogFormat) {
        self.label = label
        self.logLevel = level
        self.format = format
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let explicit = event.metadata { all.merge(explicit) { $1 } }
        let now = Engine.currentTime()
        let message = event.message.description
        let text = switch format {
        case .text: TextLogLine.line(level: event.level, label: label, message: message, metadata: all, now: now)
        case .json: JSONLogLine.line(level: event.level, label: label, message: message, metadata: all, now: now)
        }
        fputs(text, stderr)
    }
}
