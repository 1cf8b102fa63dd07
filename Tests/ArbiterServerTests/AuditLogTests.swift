import ArbiterServer
import Dispatch
import Foundation
import Logging
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The audit queue and its file sink: nothing lost on close, nothing blocking on a full queue
/// or a failing disk, rotation that never splits an entry.
@Suite struct AuditLogTests {
    static let logger = Logger(label: "audit-test")

    func scratchDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    func line(_ i: Int) -> [UInt8] { Array("{\"callId\":\"\(i)\",\"pad\":\"\(String(repeating: "x", count: i % 50))\"}".utf8) }

    func lines(in path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func close_writesEveryAcceptedLineInOrder() async throws {
        let dir = try scratchDirectory()
        let log = AuditLog(sink: try AuditFileSink(path: dir + "/audit.log"), capacity: 100_000, logger: Self.logger)
        for i in 0..<20_000 { #expect(log.append(line(i))) }
        await log.close()
        let written = try lines(in: dir + "/audit.log")
        #expect(written.count == 20_000)
        #expect(written.enumerated().allSatisfy { $0.element == String(decoding: line($0.offset), as: UTF8.self) })
        #expect(log.stats.written == 20_000 && log.stats.dropped == 0)
        var info = stat()
        #expect(stat(dir + "/audit.log", &info) == 0 && info.st_mode & 0o777 == 0o640)
        #expect(!log.append(line(0)), "a closed log accepts nothing")
    }

    /// A sink that holds the writer until the test lets it go, so the queue fills.
    struct GatedSink: AuditSink {
        let gate: DispatchSemaphore
        let seen: LockedBox<Int>
        mutating func write(_ lines: [UInt8], lineCount: Int) throws {
            gate.wait()
            seen.value.withLock { $0 += lineCount }
        }
        mutating func close() {}
    }

    @Test func aFullQueue_dropsAndCountsWithoutBlockingTheCaller() async throws {
        let gate = DispatchSemaphore(value: 0)
        let log = AuditLog(sink: GatedSink(gate: gate, seen: LockedBox(0)), capacity: 100, logger: Self.logger)
        _ = log.append(line(0))
        // Give the writer time to take the first line and block in the sink.
        try await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        var accepted = 0
        for i in 1...1_000 where log.append(line(i)) { accepted += 1 }
        #expect(ContinuousClock.now - started < .seconds(1), "append must never wait for the sink")
        #expect(accepted == 100)
        #expect(log.stats.dropped == 900)
        #expect(log.stats.depth == 100)
        for _ in 0..<10 { gate.signal() }
        await log.close()
        #expect(log.stats.written == 101)
    }

    @Test func aFullDisk_isCountedAndLoggedOnce_andAppendGoesOn() async throws {
        let messages = LockedBox<[String]>([])
        var logger = Logger(label: "audit-test") { _ in CapturingHandler(messages: messages) }
        logger.logLevel = .info
        let log = AuditLog(sink: try AuditFileSink(path: "/dev/full"), capacity: 1_000, logger: logger,
                           errorLogInterval: .seconds(3_600))
        for round in 0..<5 {
            for i in 0..<10 { #expect(log.append(line(round * 10 + i))) }
            try await Task.sleep(for: .milliseconds(20))
        }
        await log.close()
        let stats = log.stats
        #expect(stats.failed == 50 && stats.written == 0)
        #expect(stats.lastError?.contains("/dev/full") == true)
        #expect(messages.value.withLock { $0.count } == 1, "a failing disk is logged once per interval, not once per entry")
    }

    @Test func rotation_keepsEveryEntryWholeAcrossFiles() async throws {
        let dir = try scratchDirectory()
        let path = dir + "/audit.log"
        var sink = try AuditFileSink(path: path, maxBytes: 4_096, maxFiles: 50)
        var expected: [String] = []
        for batch in 0..<100 {
            let lines = (0..<5).map { line(batch * 5 + $0) }
            try sink.write(lines)
            expected += lines.map { String(decoding: $0, as: UTF8.self) }
        }
        sink.close()
        var files = [path]
        var index = 1
        while FileManager.default.fileExists(atPath: "\(path).\(index)") { files.append("\(path).\(index)"); index += 1 }
        #expect(files.count > 5, "4 KiB files should have rotated")
        var found: [String] = []
        for file in files.reversed() { found += try lines(in: file) }
        #expect(found == expected, "every entry whole and in order across the rotated files")
        for file in files {
            var info = stat()
            #expect(stat(file, &info) == 0 && Int(info.st_size) <= 4_096 + 5 * 80)
        }
    }

    @Test func rotation_dropsTheOldestBeyondMaxFiles() throws {
        let dir = try scratchDirectory()
        let path = dir + "/audit.log"
        var sink = try AuditFileSink(path: path, maxBytes: 200, maxFiles: 2)
        for i in 0..<50 { try sink.write([line(i)]) }
        sink.close()
        #expect(FileManager.default.fileExists(atPath: path + ".2"))
        #expect(!FileManager.default.fileExists(atPath: path + ".3"))
        #expect(try lines(in: path).last == String(decoding: line(49), as: UTF8.self))
    }
}

/// Collects log messages.
struct CapturingHandler: LogHandler {
    let messages: LockedBox<[String]>
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        messages.value.withLock { $0.append(event.message.description) }
    }
}

/// A mutex that can be shared by reference.
final class LockedBox<T: Sendable>: Sendable {
    let value: Mutex<T>
    init(_ initial: T) { value = Mutex(initial) }
}
