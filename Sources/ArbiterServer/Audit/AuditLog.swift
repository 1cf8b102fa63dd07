#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Logging
import ArbiterJSON
import Synchronization

/// Audit log lines on their way to their sink: a bounded queue that request handlers append to
/// without ever waiting, drained by one writer thread.
///
/// Invariants: `append` takes one short lock and never blocks on I/O, so logging never delays a
/// decision; a full queue drops the new line and counts it instead of waiting; lines are written
/// whole and in the order they were appended; decision entries are queued as their parts and
/// encoded to JSON by the writer thread, off the event loops; `close()` returns only after every line appended
/// before it has been handed to the sink (the SIGTERM flush).
public final class AuditLog: Sendable {
    /// Counters for metrics and Health.
    public struct Stats: Sendable, Equatable {
        /// Lines the sink accepted.
        public var written: UInt64 = 0
        /// Lines dropped because the queue was full or the log was closed.
        public var dropped: UInt64 = 0
        /// Lines lost because the sink failed to write them (disk full, I/O error).
        public var failed: UInt64 = 0
        /// Lines waiting now.
        public var depth: Int = 0
        /// The last write error, in words, if any.
        public var lastError: String?
    }

    private struct State {
        var queue: [AuditRecord] = []
        var closed = false
        var stats = Stats()
        var onDrained: [CheckedContinuation<Void, Never>] = []
        var writerDone = false
    }

    /// Most lines waiting at once; more are dropped and counted.
    public let capacity: Int
    private let state: Mutex<State>
    private let wake = DispatchSemaphore(value: 0)

    /// Starts the writer thread, which owns `sink` from now on. Write failures are logged at most
    /// once per `errorLogInterval`, with the number of lines lost since the last message.
    public init(sink: some AuditSink, capacity: Int = 10_000, logger: Logger,
                errorLogInterval: Duration = .seconds(10)) {
        self.capacity = capacity
        self.state = Mutex(State())
        let box = SinkBox(sink: sink)
        let writer: @Sendable () -> Void = { [self] in self.runWriter(box, logger: logger, errorLogInterval: errorLogInterval) }
        // A thread of its own (it runs for the log's life) at a raised nice value: on a machine
        // with few cores, encoding and writing entries yields the CPU to the event loops, and the
        // bounded queue absorbs the delay. A niced thread cannot be un-niced, so no pooled one is.
        if !LowPriorityThread.start(niceness: AuditLog.writerNiceness, writer) {
            DispatchQueue(label: "arbiter.audit.writer").async { writer() }
        }
    }

    /// The writer thread's nice value (0 is the daemon's own).
    static let writerNiceness: Int32 = 5

    /// Queues one line (without its newline); false when it was dropped.
    @discardableResult
    public func append(_ line: [UInt8]) -> Bool { append(.line(line)) }

    /// Queues one entry, encoded later by the writer; false when it was dropped.
    @discardableResult
    func append(_ record: AuditRecord) -> Bool {
        let signal: Bool? = state.withLock { s in
            guard !s.closed, s.queue.count < capacity else {
                s.stats.dropped += 1
                return nil
            }
            s.queue.append(record)
            // The writer drains the whole queue each time it wakes, so it needs waking only when
            // the queue stops being empty.
            return s.queue.count == 1
        }
        if signal == true { wake.signal() }
        return signal != nil
    }

    /// The counters now.
    public var stats: Stats {
        state.withLock { s in
            var stats = s.stats
            stats.depth = s.queue.count
            return stats
        }
    }

    /// Stops accepting lines and returns once every line accepted before has been written (or
    /// has failed) and the sink is closed.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { s -> Bool in
                s.closed = true
                if s.writerDone { return true }
                s.onDrained.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() } else { wake.signal() }
        }
    }

    /// Encoded bytes handed to the sink in one write: a quarter MiB is one syscall per ~250
    /// entries, and bounds the writer's buffer whatever the burst.
    static let chunkBytes = 256 << 10

    private func runWriter(_ box: SinkBox, logger: Logger, errorLogInterval: Duration) {
        var lastErrorLog: ContinuousClock.Instant?
        var failedSinceLog: UInt64 = 0
        var spare: [AuditRecord] = []
        // One buffer for the writer's life: entries are encoded into it back to back, each with
        // its newline, and go to the sink in chunks of whole lines (no buffer per entry, no
        // second copy into a batch).
        var chunk = JSONWriter(capacity: Self.chunkBytes + 8192)
        var chunkLines = 0
        func handChunkToSink() {
            let lines = chunkLines
            do {
                try box.sink.write(chunk.bytes, lineCount: lines)
                state.withLock { $0.stats.written += UInt64(lines) }
            } catch {
                failedSinceLog += UInt64(lines)
                let text = "\(error)"
                state.withLock { s in
                    s.stats.failed += UInt64(lines)
                    s.stats.lastError = text
                }
                let now = ContinuousClock.now
                if lastErrorLog.map({ now - $0 >= errorLogInterval }) ?? true {
                    logger.error("audit log write failed; decisions go on unlogged", metadata: [
                        "error": "\(text)", "linesLost": "\(failedSinceLog)",
                    ])
                    lastErrorLog = now
                    failedSinceLog = 0
                }
            }
            chunk.bytes.removeAll(keepingCapacity: true)
            chunkLines = 0
        }
        while true {
            wake.wait()
            // The queue's storage is swapped with the writer's spare: neither side allocates a
            // new buffer per drain once both have grown to a batch's size.
            let closed = state.withLock { s -> Bool in
                swap(&s.queue, &spare)
                return s.closed
            }
            let count = spare.count
            if count > 0 {
                for index in spare.indices {
                    spare[index].encode(into: &chunk)
                    chunk.bytes.append(UInt8(ascii: "\n"))
                    chunkLines += 1
                    if chunk.bytes.count >= Self.chunkBytes { handChunkToSink() }
                }
                // Releases the requests and responses now that their lines exist.
                spare.removeAll(keepingCapacity: true)
                if chunkLines > 0 { handChunkToSink() }
            }
            // Lines appended after the drain above but before `closed` was read are still queued:
            // go round again until the queue is empty.
            if closed && state.withLock({ $0.queue.isEmpty }) { break }
            // Under load, pause before the next drain so lines gather into large batches: one
            // write and one wake-up per batch instead of per request, which on a small machine
            // otherwise steal the event loops' cores. Appends never wait for this.
            if !closed && count < 1024 { usleep(1000) }
        }
        box.sink.close()
        let waiting = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.writerDone = true
            defer { s.onDrained.removeAll() }
            return s.onDrained
        }
        for continuation in waiting { continuation.resume() }
    }
}

/// Where audit lines go: written by the one writer thread only.
public protocol AuditSink {
    /// Writes `lines`: `lineCount` whole lines, each ending in its newline, in order. A line is
    /// never split (rotation happens before or after a call, never inside one).
    mutating func write(_ lines: [UInt8], lineCount: Int) throws
    /// Releases the destination.
    mutating func close()
}

extension AuditSink {
    /// Writes separate lines (without their newlines) as one call: for callers that hold lines
    /// one by one rather than the writer's encoded chunk.
    public mutating func write(_ lines: [[UInt8]]) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lines.reduce(0) { $0 + $1.count + 1 })
        for line in lines {
            bytes.append(contentsOf: line)
            bytes.append(UInt8(ascii: "\n"))
        }
        try write(bytes, lineCount: lines.count)
    }
}

/// Hands the sink to the writer thread, the only code that touches it after `AuditLog.init`.
private final class SinkBox: @unchecked Sendable {
    var sink: any AuditSink
    init(sink: some AuditSink) { self.sink = sink }
}
