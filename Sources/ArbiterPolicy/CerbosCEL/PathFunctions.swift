import CEL

/// Cerbos's path functions (`basePath`, `dirPath`, `extPath`, `volumeName`, `joinPath`,
/// `relPath`, `pathHasPrefix`, `pathMatch`, `pathMatchAnyOf`): Go `filepath` semantics on
/// POSIX paths and on Windows drive (`C:\dir`) and UNC (`\\host\share\dir`) paths alike.
///
/// Windows paths are encoded in POSIX form first (`C:\a` as `/C:/a`, `\\h\s\a` as `/h/s/a`,
/// relative `a\b` as `a/b`), operated on, and decoded back with backslashes, as Cerbos's
/// `crosspath` package does.
enum PathFunctions {
    enum Kind { case unknown, drive, unc }

    /// A path in POSIX form plus what is needed to decode it.
    struct Encoded {
        var value: String
        var kind: Kind = .unknown
        var win32 = false
        var root = false
    }

    /// Drive-relative paths such as `D:foo` or `D:.` have no POSIX form.
    struct UnsupportedWin32Path: Error {
        /// The offending path, when known.
        var path = ""
    }

    static func isUNC(_ p: String) -> Bool { p.hasPrefix("\\\\") }

    static func isDrive(_ p: String) -> Bool {
        let u = Array(p.utf8)
        guard u.count > 1, u[1] == UInt8(ascii: ":") else { return false }
        return (u[0] >= UInt8(ascii: "a") && u[0] <= UInt8(ascii: "z")) || (u[0] >= UInt8(ascii: "A") && u[0] <= UInt8(ascii: "Z"))
    }

    static func toSlash(_ p: String) -> String { String(p.map { $0 == "\\" ? "/" : $0 }) }
    static func toBackslash(_ p: String) -> String { String(p.map { $0 == "/" ? "\\" : $0 }) }

    static func encode(_ path: String) throws(UnsupportedWin32Path) -> Encoded {
        var e = Encoded(value: path)
        e.win32 = path.contains("\\")
        if isUNC(path) {
            e.kind = .unc
            e.value = toSlash(path)
            let rest = String(path.unicodeScalars.dropFirst(2))
            if GoStrings.split(rest, "\\").count == 2 { e.root = true }
        } else if isDrive(path) {
            let length = path.utf8.count
            if !e.win32 && length > 2 { throw UnsupportedWin32Path(path: path) }
            e.kind = .drive
            e.value = toSlash("\\" + path)
            if length == 2 || length == 3 { e.root = true }
        } else if e.win32 {
            e.value = toSlash(path)
        } else if path == "/" {
            e.root = true
        }
        e.value = GoFilepath.clean(e.value)
        return e
    }

    static func decode(_ e: Encoded) -> String {
        switch e.kind {
        case .unc: return "\\" + toBackslash(e.value)
        case .drive:
            let s = toBackslash(e.value)
            return s.hasPrefix("\\") ? String(s.dropFirst()) : s
        case .unknown: return e.win32 ? toBackslash(e.value) : e.value
        }
    }

    static func base(_ path: String) throws(UnsupportedWin32Path) -> String { GoFilepath.base(try encode(path).value) }

    static func dir(_ path: String) throws(UnsupportedWin32Path) -> String {
        var e = try encode(path)
        switch e.kind {
        case .unc where e.root: return decode(e)
        case .drive where e.root: return decode(e) + "\\"
        case .unc, .drive:
            e.value = truncatedAtLastSlash(e.value)
            return decode(e)
        case .unknown where e.win32:
            e.value = truncatedAtLastSlash(e.value)
            return decode(e)
        case .unknown:
            e.value = GoFilepath.dir(e.value)
            return decode(e)
        }
    }

    /// Everything before the last `/` (Go slicing at `strings.LastIndex`; no `/` keeps nothing
    /// after Go's `[:-1]` would panic, so the whole value is kept).
    static func truncatedAtLastSlash(_ s: String) -> String {
        guard let i = s.lastIndex(of: "/") else { return s }
        return String(s[..<i])
    }

    static func ext(_ path: String) throws(UnsupportedWin32Path) -> String { GoFilepath.ext(try encode(path).value) }

    static func join(_ paths: [String]) throws(UnsupportedWin32Path) -> String {
        guard let first = paths.first else { return "" }
        if paths.count == 1 { return first }
        var result = try encode(first)
        for p in paths.dropFirst() {
            result.value = GoFilepath.join([result.value, try encode(p).value])
        }
        return decode(result)
    }

    static func volumeName(_ path: String) -> String {
        if isUNC(path) {
            let subs = GoStrings.split(String(path.unicodeScalars.dropFirst(2)), "\\")
            if subs.count > 1 && !subs[0].isEmpty && !subs[1].isEmpty { return "\\\\" + subs[0] + "\\" + subs[1] }
            return ""
        }
        if isDrive(path) { return String(path.prefix(2)) }
        return ""
    }
}
