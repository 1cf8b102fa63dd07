#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a whole file: the one reader for policies, schemas, test suites and their fixtures,
/// and the daemon's configuration file.
package enum FileContents {
    /// Why a file could not be read (the system's words, or what the file is instead).
    package struct ReadError: Error, CustomStringConvertible {
        package var message: String
        package var description: String { message }
    }

    /// The bytes of the file at `path`, or why they cannot be read.
    ///
    /// With `regularFileOnly` (files found by a directory walk) the file is opened without
    /// blocking and checked to be a regular file through the open descriptor, so an entry
    /// swapped for a FIFO after the walk cannot hang a reload. Without it (a configuration file,
    /// which may be a pipe such as `--config <(…)`), any readable file is read to its end.
    package static func read(_ path: String, regularFileOnly: Bool = true) -> Result<[UInt8], ReadError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | (regularFileOnly ? O_NONBLOCK : 0))
        guard fd >= 0 else { return .failure(ReadError(message: errnoText())) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(ReadError(message: errnoText())) }
        if regularFileOnly, info.st_mode & S_IFMT != S_IFREG {
            return .failure(ReadError(message: "is \(DirectoryWalker.kindText(ofMode: info.st_mode)), not a regular file"))
        }
        // One more byte than the size so that a file read whole needs no second allocation.
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count))) }
            let n = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(ReadError(message: errnoText()))
            }
            if n == 0 { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return .success(bytes)
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
