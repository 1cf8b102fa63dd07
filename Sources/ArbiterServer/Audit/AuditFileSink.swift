#if canImport(Glibc)
import Glibc
#endif

// On Linux the members of `struct stat` belong to CoreFoundation's module (it holds
// <sys/stat.h>), so reading them needs its import, not only Glibc's.
import CoreFoundation

/// Audit lines appended to a file (`audit.file.path`), mode 0640, rotated by size: when the next
/// batch would take the file past `maxBytes`, `path` becomes `path.1`, `path.1` becomes `path.2`
/// and so on up to `maxFiles` kept files, and a new `path` is started. Rotation happens only
/// between lines, so no entry is ever split or lost by it.
public struct AuditFileSink: AuditSink {
    /// The file being written.
    public let path: String
    /// Size at which the file is rotated; a single batch larger than this still goes whole into
    /// a fresh file.
    public let maxBytes: Int
    /// Rotated files kept besides `path` (0 keeps none: the file is truncated instead).
    public let maxFiles: Int
    private var fd: Int32 = -1
    private var size = 0

    /// Opens (creating) `path` for appending.
    public init(path: String, maxBytes: Int = 100 << 20, maxFiles: Int = 10) throws(AuditSinkError) {
        self.path = path
        self.maxBytes = maxBytes
        self.maxFiles = maxFiles
        try open()
    }

    private mutating func open() throws(AuditSinkError) {
        fd = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw AuditSinkError(path: path, operation: "open", code: errno) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw AuditSinkError(path: path, operation: "stat", code: errno) }
        // A regular file gets the audit log's mode whatever the umask; a device (a pipe to a
        // collector, /dev/full in tests) keeps its own.
        if (info.st_mode & S_IFMT) == S_IFREG { _ = fchmod(fd, 0o640) }
        size = Int(info.st_size)
    }

    public mutating func write(_ lines: [UInt8], lineCount: Int) throws {
        if size > 0, size + lines.count > maxBytes { try rotate() }
        if let code = lines.withUnsafeBytes({ writeAll(fd, $0) }) { throw AuditSinkError(path: path, operation: "write", code: code) }
        size += lines.count
    }

    private mutating func rotate() throws(AuditSinkError) {
        Glibc.close(fd)
        fd = -1
        if maxFiles > 0 {
            for index in stride(from: maxFiles - 1, through: 1, by: -1) {
                _ = rename("\(path).\(index)", "\(path).\(index + 1)")
            }
            guard rename(path, "\(path).1") == 0 else { throw AuditSinkError(path: path, operation: "rotate", code: errno) }
        } else {
            _ = unlink(path)
        }
        try open()
    }

    public mutating func close() {
        if fd >= 0 {
            _ = fsync(fd)
            Glibc.close(fd)
        }
        fd = -1
    }
}

/// Audit lines written to standard output, one per line (journald under systemd).
public struct AuditStandardOutputSink: AuditSink {
    /// Creates the sink.
    public init() {}

    /// Writes of at most this many bytes to a pipe are atomic (POSIX's PIPE_BUF on Linux).
    static let atomicPipeWrite = 4096

    /// Whole lines go out in runs of at most `atomicPipeWrite` bytes, so that no other writer
    /// of the same pipe can land inside an entry (a line longer than that goes alone, as it
    /// would in a write of its own), in far fewer writes than one per line.
    public mutating func write(_ lines: [UInt8], lineCount: Int) throws {
        let code = lines.withUnsafeBytes { raw -> Int32? in
            var runStart = 0, runEnd = 0, scan = 0
            while scan < raw.count {
                let lineEnd = (raw[scan...].firstIndex(of: UInt8(ascii: "\n")) ?? raw.count - 1) + 1
                if lineEnd - runStart > Self.atomicPipeWrite, runEnd > runStart {
                    if let code = writeAll(STDOUT_FILENO, UnsafeRawBufferPointer(rebasing: raw[runStart..<runEnd])) { return code }
                    runStart = runEnd
                }
                runEnd = lineEnd
                scan = lineEnd
            }
            if runEnd > runStart { return writeAll(STDOUT_FILENO, UnsafeRawBufferPointer(rebasing: raw[runStart..<runEnd])) }
            return nil
        }
        if let code { throw AuditSinkError(path: "standard output", operation: "write", code: code) }
    }

    public mutating func close() {}
}

/// Writes all of `bytes` to `fd`, retrying short writes and EINTR; the errno of a failure, or nil.
func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer) -> Int32? {
    var offset = 0
    while offset < raw.count {
        let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += n
    }
    return nil
}

/// A failed operation on an audit destination, in words.
public struct AuditSinkError: Error, Sendable, CustomStringConvertible {
    /// The file (or "standard output").
    public var path: String
    /// What was being done: open, write, rotate.
    public var operation: String
    /// errno.
    public var code: Int32
    public var description: String { "cannot \(operation) \(path): \(String(cString: strerror(code)))" }
}
