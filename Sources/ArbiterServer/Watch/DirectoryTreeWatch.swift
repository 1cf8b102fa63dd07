#if canImport(Glibc)
import Glibc
#endif

// For `struct stat`'s members on Linux (see AuditFileSink.swift).
import CoreFoundation

/// inotify watches on a policy directory, each of its subdirectories, the directory's parent, and
/// the parent of every symlink on the directory's path (so a swapped symlink, as git-sync
/// `--link` or a ConfigMap's `..data` does, is noticed wherever on the path it is). Blocking reads happen on a
/// thread-pool thread; `wake()` from any thread interrupts a wait.
final class DirectoryTreeWatch: @unchecked Sendable {
    // @unchecked: the descriptors are immutable after init; the watch tables are touched only
    // by the one watcher task that owns this object.

    /// What a batch of inotify events means for the watcher.
    struct Batch {
        /// Some entry changed: reload (debounced).
        var changed = false
        /// The kernel dropped events: rescan everything and reload at once.
        var overflow = false
        /// A directory appeared, vanished or the root was swapped: rebuild the watch set.
        var structureChanged = false
        /// SIGHUP arrived: reload at once.
        var hangup = false
        /// Names seen, for debug logs.
        var names: [String] = []
    }

    let inotifyFD: CInt
    let wakeFD: CInt
    let wakeWriteFD: CInt
    private let directory: String
    private var watches: [CInt: String] = [:]
    /// Watches on the directories that hold an entry of the policy directory's path which can be
    /// swapped: its parent, and the parent of each symlink on the path; each with the names that
    /// matter there.
    private var pathWatches: [CInt: Set<String>] = [:]
    private var resolvedRoot: String?

    private static let treeMask: UInt32 = UInt32(IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE
        | IN_DELETE_SELF | IN_MOVE_SELF | IN_ATTRIB) | UInt32(IN_ONLYDIR)
    // IN_ATTRIB: a chmod of the policy directory itself is seen here even after it cost the
    // directory's own watch.
    private static let parentMask: UInt32 = UInt32(IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM | IN_ATTRIB) | UInt32(IN_ONLYDIR)

    private let hangupFD: CInt

    /// Watches `directory`; `hangupFD` (from `HangupSignal.install()`) is polled too when ≥ 0.
    init(directory: String, hangupFD: CInt = -1) throws {
        self.directory = directory
        self.hangupFD = hangupFD
        let fd = inotify_init1(CInt(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw SocketSetupError("inotify_init1 failed: \(errnoText())") }
        var pipeFDs: [CInt] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else {
            close(fd)
            throw SocketSetupError("pipe failed: \(errnoText())")
        }
        for p in pipeFDs {
            _ = fcntl(p, F_SETFL, fcntl(p, F_GETFL) | O_NONBLOCK)
            _ = fcntl(p, F_SETFD, FD_CLOEXEC)
        }
        inotifyFD = fd
        wakeFD = pipeFDs[0]
        wakeWriteFD = pipeFDs[1]
    }

    deinit {
        close(inotifyFD)
        close(wakeFD)
        close(wakeWriteFD)
    }

    /// Number of directories watched (tests, logs).
    var watchedDirectoryCount: Int { watches.count }

    /// Deepest subdirectory level watched; deeper trees are reported, like the policy walk's bound.
    static let maxDepth = 32

    /// (Re)builds the watch set from the current file system: follows the root if it is a
    /// symlink, adds every non-hidden subdirectory, drops watches that are no longer wanted.
    /// Returns what could not be watched (empty when every directory is watched): the watcher
    /// then reports hot reload as degraded and calls this again until it comes back empty.
    func rebuild() -> [String] {
        var problems: [String] = []
        var wantedPathWatches: [CInt: Set<String>] = [:]
        for (holder, name) in Self.swappablePathEntries(of: directory) {
            let wd = inotify_add_watch(inotifyFD, holder, Self.parentMask)
            if wd < 0 {
                problems.append("cannot watch \(holder), which holds \(name) on the policy directory's path: \(Self.watchErrorText())")
            } else {
                wantedPathWatches[wd, default: []].insert(name)
            }
        }
        for wd in pathWatches.keys where wantedPathWatches[wd] == nil {
            inotify_rm_watch(inotifyFD, wd)
        }
        pathWatches = wantedPathWatches
        resolvedRoot = Self.realPath(directory)
        var wanted: [CInt: String] = [:]
        if resolvedRoot == nil {
            problems.append("policy directory \(directory) cannot be resolved: \(errnoText())")
        } else {
            var stack = [(directory, 0)]
            while let (dir, depth) = stack.popLast() {
                let wd = inotify_add_watch(inotifyFD, dir, Self.treeMask)
                guard wd >= 0 else {
                    problems.append("cannot watch \(dir): \(Self.watchErrorText())")
                    continue
                }
                // The kernel gives one inode one descriptor, so a directory reached twice
                // (a bind mount of an ancestor) is not descended again.
                guard wanted.updateValue(dir, forKey: wd) == nil else { continue }
                guard let subdirectories = Self.subdirectories(of: dir) else {
                    problems.append("cannot list \(dir): \(errnoText())")
                    continue
                }
                if depth >= Self.maxDepth, !subdirectories.isEmpty {
                    problems.append("directories under \(dir) are nested deeper than \(Self.maxDepth) levels; not watched")
                    continue
                }
                stack.append(contentsOf: subdirectories.map { ($0, depth + 1) })
            }
        }
        for (wd, _) in watches where wanted[wd] == nil && pathWatches[wd] == nil {
            inotify_rm_watch(inotifyFD, wd)
        }
        watches = wanted
        return problems
    }

    private static func watchErrorText() -> String {
        errno == ENOSPC ? "the inotify watch limit is reached (sysctl fs.inotify.max_user_watches)" : errnoText()
    }

    /// Blocks up to `timeoutMilliseconds` (-1: forever) for events or a wake-up; returns the
    /// decoded batch (empty on timeout or wake-up).
    func waitForEvents(timeoutMilliseconds: CInt) -> Batch {
        var fds = [
            pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0),
            pollfd(fd: hangupFD, events: Int16(POLLIN), revents: 0),
        ]
        let rc = poll(&fds, hangupFD >= 0 ? 3 : 2, timeoutMilliseconds)
        var batch = Batch()
        guard rc > 0 else { return batch }
        var scratch = [UInt8](repeating: 0, count: 64)
        if fds[1].revents != 0 {
            while read(wakeFD, &scratch, 64) > 0 {}
        }
        if hangupFD >= 0, fds[2].revents != 0 {
            while read(hangupFD, &scratch, 64) > 0 {}
            batch.hangup = true
        }
        if fds[0].revents != 0 { drain(into: &batch) }
        return batch
    }

    /// Interrupts `waitForEvents` (any thread).
    func wake() {
        var one: UInt8 = 1
        _ = write(wakeWriteFD, &one, 1)
    }

    private func drain(into batch: inout Batch) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(inotifyFD, $0.baseAddress, $0.count) }
            guard n > 0 else { return }
            var offset = 0
            buffer.withUnsafeBytes { raw in
                while offset + 16 <= n {
                    let wd = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                    let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    let nameBytes = raw[(offset + 16)..<(offset + 16 + length)].prefix { $0 != 0 }
                    let name = String(decoding: nameBytes, as: UTF8.self)
                    offset += 16 + length
                    classify(wd: wd, mask: mask, name: name, into: &batch)
                }
            }
        }
    }

    private func classify(wd: CInt, mask: UInt32, name: String, into batch: inout Batch) {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
            batch.overflow = true
            batch.structureChanged = true
            return
        }
        if mask & UInt32(IN_IGNORED) != 0 {
            // The kernel dropped a watch (its directory went away, or was unmounted): the
            // rebuild puts back whatever still exists, the parent's watch included.
            if pathWatches.removeValue(forKey: wd) != nil { batch.structureChanged = true }
            if watches.removeValue(forKey: wd) != nil { batch.structureChanged = true }
            return
        }
        if let names = pathWatches[wd], watches[wd] == nil {
            // Only the entries on our directory's path matter there.
            guard names.contains(name) else { return }
            batch.changed = true
            batch.structureChanged = true
            batch.names.append(name)
            return
        }
        // A writer creating a file sends IN_CREATE before its first byte; the IN_CLOSE_WRITE
        // that follows is the moment the file is whole, so the reload waits for that.
        if mask & UInt32(IN_CREATE) != 0, mask & UInt32(IN_ISDIR) == 0, let dir = watches[wd],
           Self.isEmptyRegularFile(dir + "/" + name) {
            return
        }
        batch.changed = true
        batch.names.append(name)
        if mask & UInt32(IN_ISDIR) != 0 || mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
            batch.structureChanged = true
        }
        // A symlink swap such as ConfigMap's `..data` is a rename of a link, not a directory.
        if mask & UInt32(IN_MOVED_TO | IN_CREATE) != 0, !name.isEmpty, let dir = watches[wd],
           Self.isDirectory(dir + "/" + name) {
            batch.structureChanged = true
        }
        if Self.realPath(directory) != resolvedRoot { batch.structureChanged = true }
    }

    // MARK: - File-system helpers

    /// The non-hidden subdirectories of `dir` (not following links), or nil when it cannot be listed.
    static func subdirectories(of dir: String) -> [String]? {
        guard let d = opendir(dir) else { return nil }
        defer { closedir(d) }
        var result: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            let path = dir + "/" + name
            var st = stat()
            if lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR { result.append(path) }
        }
        return result
    }

    static func isEmptyRegularFile(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFREG && st.st_size == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// (directory holding it, entry name) for the entries of `path` whose replacement changes
    /// what `path` means: the last component, and every component that is a symlink now.
    static func swappablePathEntries(of path: String) -> [(String, String)] {
        var entries = [(parentPath(of: path), baseName(of: path))]
        var prefix = path.hasPrefix("/") ? "" : "."
        let components = path.split(separator: "/").map(String.init)
        for component in components.dropLast() {
            prefix += "/" + component
            var st = stat()
            if lstat(prefix, &st) == 0, st.st_mode & S_IFMT == S_IFLNK {
                entries.append((parentPath(of: prefix), component))
            }
        }
        return entries
    }

    static func parentPath(of path: String) -> String {
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    static func baseName(of path: String) -> String {
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }
}
