#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Walks a policy directory once with POSIX `opendir`/`readdir`, pruning skipped directories early,
/// and reads the files it keeps.
///
/// Symbolic links are followed (a policy root is often a tree of links, as ConfigMaps and
/// git-sync make), so the walk remembers the device and inode of every directory it enters:
/// a directory reached a second time is a cycle (or the same tree twice) and is reported, not
/// walked again. Depth and the number of entries are bounded, so no tree can run the walk away.
struct DirectoryWalker {
    struct Found {
        var files: [String] = []
        var misplacedSchemas: [String] = []
        var errors: [(path: String, message: String)] = []
    }

    /// Bounds on the walk; past either, the walk stops with an error.
    struct Limits {
        /// Deepest directory level walked (0 = the root's own entries).
        var maxDepth = 32
        /// Most directory entries (of any kind) looked at in the whole tree.
        var maxEntries = 100_000
    }

    /// A directory's identity on this machine.
    private struct DirectoryIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private struct WalkState {
        var entered: [DirectoryIdentity: String] = [:]
        var entries = 0
        var stopped = false
    }

    let root: String
    var limits = Limits()

    /// Relative paths of policy files, sorted so diagnostics and duplicate detection are deterministic.
    func walk() -> Found {
        var found = Found()
        var state = WalkState()
        visit(relative: "", depth: 0, into: &found, state: &state)
        found.files.sort()
        return found
    }

    private func visit(relative: String, depth: Int, into found: inout Found, state: inout WalkState) {
        let shown = relative.isEmpty ? "." : relative
        // A directory that cannot be read is named by its path; for the root itself that is the
        // root as given: "." would not say which directory the daemon or `arbiter compile` was
        // pointed at.
        let unreadable = relative.isEmpty ? root : relative
        let absolute = relative.isEmpty ? root : root + "/" + relative
        // Opening first and asking the open descriptor for its identity leaves no window in
        // which the path could be swapped between the check and the read.
        let fd = open(absolute, O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            found.errors.append((unreadable, "cannot read directory: \(Self.errnoText())"))
            return
        }
        var info = stat()
        guard fstat(fd, &info) == 0, let dir = fdopendir(fd) else {
            found.errors.append((unreadable, "cannot read directory: \(Self.errnoText())"))
            close(fd)
            return
        }
        defer { closedir(dir) }
        let identity = DirectoryIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        if let first = state.entered[identity] {
            found.errors.append((shown, "directory cycle: this is the directory '\(first)' again (a symbolic link loop?); not walked twice"))
            return
        }
        state.entered[identity] = shown
        while !state.stopped, let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." || PolicyPathRules.isHidden(name) { continue }
            state.entries += 1
            if state.entries > limits.maxEntries {
                state.stopped = true
                found.errors.append((".", "more than \(limits.maxEntries) entries in the policy directory tree; the walk stopped there"))
                return
            }
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            var kind = Self.kind(ofDirentType: entry.pointee.d_type)
            if kind == nil {
                // Symlinks and filesystems without d_type need a stat to know what the entry is.
                var target = stat()
                if stat(root + "/" + childRelative, &target) == 0 {
                    kind = Self.kind(ofMode: target.st_mode)
                } else if PolicyPathRules.isPolicyFile(named: name) {
                    found.errors.append((childRelative, Self.unresolvableLinkMessage(errno: errno)))
                    continue
                } else {
                    continue
                }
            }
            switch kind {
            case .directory?:
                switch PolicyPathRules.directory(named: name, depth: depth) {
                case .descend:
                    if depth + 1 > limits.maxDepth {
                        found.errors.append((childRelative, "directories nested deeper than \(limits.maxDepth) levels; not walked further"))
                    } else {
                        visit(relative: childRelative, depth: depth + 1, into: &found, state: &state)
                    }
                case .skip: continue
                case .misplacedSchemas: found.misplacedSchemas.append(childRelative)
                }
            case .regular?:
                if PolicyPathRules.isPolicyFile(named: name) { found.files.append(childRelative) }
            case let .special(what)?:
                if PolicyPathRules.isPolicyFile(named: name) {
                    found.errors.append((childRelative, "is \(what), not a regular file; a policy file must be a regular file"))
                }
            case nil:
                continue
            }
        }
    }

    private enum EntryKind: Equatable {
        case directory, regular
        case special(String)

        /// The kind in words, for diagnostics.
        var text: String {
            switch self {
            case .directory: "a directory"
            case .regular: "a regular file"
            case let .special(what): what
            }
        }
    }

    private static func kind(ofDirentType type: UInt8) -> EntryKind? {
        switch Int32(type) {
        case Int32(DT_DIR): .directory
        case Int32(DT_REG): .regular
        case Int32(DT_FIFO): .special("a FIFO")
        case Int32(DT_SOCK): .special("a socket")
        case Int32(DT_CHR): .special("a character device")
        case Int32(DT_BLK): .special("a block device")
        default: nil
        }
    }

    private static func kind(ofMode mode: mode_t) -> EntryKind {
        switch mode & S_IFMT {
        case S_IFDIR: .directory
        case S_IFREG: .regular
        case S_IFIFO: .special("a FIFO")
        case S_IFSOCK: .special("a socket")
        case S_IFCHR: .special("a character device")
        case S_IFBLK: .special("a block device")
        default: .special("of an unknown file type")
        }
    }

    private static func unresolvableLinkMessage(errno code: Int32) -> String {
        switch code {
        case ENOENT: "dangling symbolic link: its target does not exist"
        case ELOOP: "symbolic link loop: the link resolves to itself"
        default: "cannot stat: \(String(cString: strerror(code)))"
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }

    /// What a file of this mode is, in words ("a FIFO", "a directory"), for `FileContents`.
    static func kindText(ofMode mode: mode_t) -> String { kind(ofMode: mode).text }
}
