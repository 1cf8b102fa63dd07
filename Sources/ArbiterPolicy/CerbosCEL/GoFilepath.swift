/// Go's `path/filepath` on POSIX (separator `/`, no volume names): the lexical operations
/// that Cerbos's path functions apply to paths after encoding Windows paths in POSIX form.
enum GoFilepath {
    typealias Scalars = [Unicode.Scalar]
    static let slash: Unicode.Scalar = "/"
    static let dot: Unicode.Scalar = "."

    /// The shortest lexically equivalent path (`filepath.Clean`).
    static func clean(_ path: String) -> String {
        let p = Array(path.unicodeScalars)
        if p.isEmpty { return "." }
        let rooted = p[0] == slash
        var out: Scalars = []
        var r = 0, dotdot = 0
        if rooted { out.append(slash); r = 1; dotdot = 1 }
        while r < p.count {
            if p[r] == slash {
                r += 1
            } else if p[r] == dot && (r + 1 == p.count || p[r + 1] == slash) {
                r += 1
            } else if p[r] == dot && r + 1 < p.count && p[r + 1] == dot && (r + 2 == p.count || p[r + 2] == slash) {
                r += 2
                if out.count > dotdot {
                    // Back up to the last separator after `dotdot`, dropping the element.
                    var w = out.count - 1
                    while w > dotdot && out[w] != slash { w -= 1 }
                    out.removeSubrange(w...)
                } else if !rooted {
                    if !out.isEmpty { out.append(slash) }
                    out.append(contentsOf: [dot, dot])
                    dotdot = out.count
                }
            } else {
                if (rooted && out.count != 1) || (!rooted && !out.isEmpty) { out.append(slash) }
                while r < p.count && p[r] != slash { out.append(p[r]); r += 1 }
            }
        }
        if out.isEmpty { return "." }
        return String(String.UnicodeScalarView(out))
    }

    /// The last element (`filepath.Base`).
    static func base(_ path: String) -> String {
        var p = Array(path.unicodeScalars)
        if p.isEmpty { return "." }
        while let last = p.last, last == slash { p.removeLast() }
        if let i = p.lastIndex(of: slash) { p = Array(p[(i + 1)...]) }
        if p.isEmpty { return "/" }
        return String(String.UnicodeScalarView(p))
    }

    /// All but the last element, cleaned (`filepath.Dir`).
    static func dir(_ path: String) -> String {
        let p = Array(path.unicodeScalars)
        let i = p.lastIndex(of: slash).map { $0 + 1 } ?? 0
        return clean(String(String.UnicodeScalarView(p[0..<i])))
    }

    /// The extension including the dot, or empty (`filepath.Ext`).
    static func ext(_ path: String) -> String {
        let p = Array(path.unicodeScalars)
        var i = p.count - 1
        while i >= 0 && p[i] != slash {
            if p[i] == dot { return String(String.UnicodeScalarView(p[i...])) }
            i -= 1
        }
        return ""
    }

    /// Joins non-empty elements with `/` and cleans the result; "" when all are empty.
    static func join(_ elements: [String]) -> String {
        let parts = elements.filter { !$0.isEmpty }
        if parts.isEmpty { return "" }
        return clean(parts.joined(separator: "/"))
    }

    /// `filepath.Rel`: a path that joined to `base` gives `target`; nil when there is none.
    static func rel(_ basePath: String, _ targetPath: String) -> String? {
        var base = Array(clean(basePath).unicodeScalars)
        let targ = Array(clean(targetPath).unicodeScalars)
        if targ == base { return "." }
        if base == [dot] { base = [] }
        let baseSlashed = base.first == slash, targSlashed = targ.first == slash
        if baseSlashed != targSlashed { return nil }
        let bl = base.count, tl = targ.count
        var b0 = 0, bi = 0, t0 = 0, ti = 0
        while true {
            while bi < bl && base[bi] != slash { bi += 1 }
            while ti < tl && targ[ti] != slash { ti += 1 }
            if Array(targ[t0..<ti]) != Array(base[b0..<bi]) { break }
            if bi < bl { bi += 1 }
            if ti < tl { ti += 1 }
            b0 = bi; t0 = ti
        }
        if Array(base[b0..<bi]) == [dot, dot] { return nil }
        if b0 != bl {
            let seps = base[b0..<bl].filter { $0 == slash }.count
            var out = ".." + String(repeating: "/..", count: seps)
            if t0 != tl { out += "/" + String(String.UnicodeScalarView(targ[t0...])) }
            return out
        }
        return String(String.UnicodeScalarView(targ[t0...]))
    }

    /// A malformed pattern (`filepath.ErrBadPattern`).
    struct BadPattern: Error {}

    /// `filepath.Match`: shell patterns with `*`, `?`, `[...]`, `[^...]` and `\` escapes;
    /// `*` and `?` never match `/`.
    static func match(_ pattern: String, _ name: String) throws(BadPattern) -> Bool {
        var pat = Array(pattern.unicodeScalars)[...]
        var s = Array(name.unicodeScalars)[...]
        outer: while !pat.isEmpty {
            let (star, chunk, rest) = scanChunk(pat)
            pat = rest
            if star && chunk.isEmpty { return !s.contains(slash) }
            let (t, ok) = try matchChunk(chunk, s)
            if ok && (t.isEmpty || !pat.isEmpty) {
                s = t
                continue
            }
            if star {
                var i = s.startIndex
                while i < s.endIndex && s[i] != slash {
                    let (t2, ok2) = try matchChunk(chunk, s[(i + 1)...])
                    if ok2 {
                        if pat.isEmpty && !t2.isEmpty { i += 1; continue }
                        s = t2
                        continue outer
                    }
                    i += 1
                }
            }
            // Go reports a malformed remainder of the pattern even when the match already failed.
            while !pat.isEmpty {
                let (_, c, r) = scanChunk(pat)
                pat = r
                _ = try matchChunk(c, [][...])
            }
            return false
        }
        return s.isEmpty
    }

    static func scanChunk(_ p: ArraySlice<Unicode.Scalar>) -> (Bool, ArraySlice<Unicode.Scalar>, ArraySlice<Unicode.Scalar>) {
        var pattern = p
        var star = false
        while let f = pattern.first, f == "*" { pattern = pattern.dropFirst(); star = true }
        var inRange = false
        var i = pattern.startIndex
        scan: while i < pattern.endIndex {
            switch pattern[i] {
            case "\\": if i + 1 < pattern.endIndex { i += 1 }
            case "[": inRange = true
            case "]": inRange = false
            case "*": if !inRange { break scan }
            default: break
            }
            i += 1
        }
        return (star, pattern[pattern.startIndex..<i], pattern[i...])
    }

    static func matchChunk(_ c: ArraySlice<Unicode.Scalar>, _ str: ArraySlice<Unicode.Scalar>)
        throws(BadPattern) -> (ArraySlice<Unicode.Scalar>, Bool) {
        var chunk = c, s = str
        var failed = false
        while let head = chunk.first {
            if !failed && s.isEmpty { failed = true }
            switch head {
            case "[":
                var r: Unicode.Scalar? = nil
                if !failed { r = s.first; s = s.dropFirst() }
                chunk = chunk.dropFirst()
                var negated = false
                if chunk.first == "^" { negated = true; chunk = chunk.dropFirst() }
                var matched = false
                var ranges = 0
                while true {
                    if chunk.first == "]" && ranges > 0 { chunk = chunk.dropFirst(); break }
                    let lo = try escaped(&chunk)
                    var hi = lo
                    if chunk.first == "-" {
                        chunk = chunk.dropFirst()
                        hi = try escaped(&chunk)
                    }
                    if let r, lo.value <= r.value && r.value <= hi.value { matched = true }
                    ranges += 1
                }
                if matched == negated { failed = true }
            case "?":
                if !failed {
                    if s.first == slash { failed = true }
                    s = s.dropFirst()
                }
                chunk = chunk.dropFirst()
            default:
                if head == "\\" {
                    chunk = chunk.dropFirst()
                    if chunk.isEmpty { throw BadPattern() }
                }
                if !failed {
                    if chunk.first != s.first { failed = true }
                    s = s.dropFirst()
                }
                chunk = chunk.dropFirst()
            }
        }
        if failed { return ([][...], false) }
        return (s, true)
    }

    /// One possibly escaped character of a `[...]` class (Go's `getEsc`).
    static func escaped(_ chunk: inout ArraySlice<Unicode.Scalar>) throws(BadPattern) -> Unicode.Scalar {
        guard let f = chunk.first, f != "-", f != "]" else { throw BadPattern() }
        if f == "\\" {
            chunk = chunk.dropFirst()
            if chunk.isEmpty { throw BadPattern() }
        }
        guard let r = chunk.first else { throw BadPattern() }
        chunk = chunk.dropFirst()
        if chunk.isEmpty { throw BadPattern() }
        return r
    }
}
