#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Walks a policy directory once with POSIX `opendir`/`readdir`, pruning skipped directories early,
/// and reads the files it keeps.
struct DirectoryWalker {
    struct Found {
        var files: [String] = []
        var misplacedSchemas: [String] = []
        var errors: [(path: String, message: String)] = []
    }

    let root: String

    /// Relative paths of policy files, sorted so diagnostics and duplicate detection are deterministic.
    func walk() -> Found {
        var found = Found()
        visit(relative: "", depth: 0, into: &found)
        found.files.sort()
        return found
    }

    private func visit(relative: String, depth: Int, into found: inout Found) {
        let absolute = relative.isEmpty ? root : root + "/" + relative
        guard let dir = opendir(absolute) else {
            found.errors.append((relative.isEmpty ? "." : relative, "cannot read directory: \(String(cString: strerror(errno)))"))
            return
        }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            var isDirectory = Int32(entry.pointee.d_type) == Int32(DT_DIR)
            var isFile = Int32(entry.pointee.d_type) == Int32(DT_REG)
            if !isDirectory && !isFile {
                // Symlinks and filesystems without d_type need a stat to know what the entry is.
                var info = stat()
                guard stat(root + "/" + childRelative, &info) == 0 else { continue }
                isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
                isFile = (info.st_mode & S_IFMT) == S_IFREG
            }
            if isDirectory {
                switch PolicyPathRules.directory(named: name, depth: depth) {
                case .descend: visit(relative: childRelative, depth: depth + 1, into: &found)
                case .skip: continue
                case .misplacedSchemas: found.misplacedSchemas.append(childRelative)
                }
            } else if isFile, PolicyPathRules.isPolicyFile(named: name) {
                found.files.append(childRelative)
            }
        }
    }

    /// True when `path` names a regular file (following symlinks).
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Reads a whole file; nil with the system's reason when it cannot.
    static func read(_ path: String) -> Result<[UInt8], ReadError> {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return .failure(ReadError(message: String(cString: strerror(errno)))) }
        defer { close(fd) }
        var info = stat()
        let expected = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
        var bytes = [UInt8](repeating: 0, count: max(expected, 0) + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count))) }
            let n = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(ReadError(message: String(cString: strerror(errno))))
            }
            if n == 0 { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return .success(bytes)
    }

    struct ReadError: Error {
        var message: String
    }
}
