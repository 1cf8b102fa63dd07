/// Go's `strings.Replace`, `strings.SplitN` and `strings.TrimSpace`, which cel-go's string
/// extension and Cerbos's functions call directly, so edge cases (empty separators, counts)
/// follow Go. The one copy in the package: ArbiterPolicy's Cerbos functions use it too.
package enum GoStrings {
    /// Byte offset of `needle` in `hay` at or after `from`.
    static func index(_ hay: [UInt8], _ needle: [UInt8], from: Int) -> Int? {
        StringBytes.find(hay, needle, from: from)
    }

    /// Length of the UTF-8 sequence starting with `lead`.
    static func runeWidth(_ lead: UInt8) -> Int {
        switch lead {
        case 0..<0x80: return 1
        case 0xC0..<0xE0: return 2
        case 0xE0..<0xF0: return 3
        case 0xF0...: return 4
        default: return 1
        }
    }

    static func count(_ s: [UInt8], _ sep: [UInt8]) -> Int {
        if sep.isEmpty { return String(decoding: s, as: UTF8.self).unicodeScalars.count + 1 }
        var n = 0, i = 0
        while let j = index(s, sep, from: i) { n += 1; i = j + sep.count }
        return n
    }

    /// `strings.Replace(s, old, new, n)`; n < 0 replaces all.
    static func replace(_ str: String, _ old: String, _ new: String, _ limit: Int64) -> String {
        if old == new || limit == 0 { return str }
        let s = Array(str.utf8), o = Array(old.utf8), r = Array(new.utf8)
        let m = count(s, o)
        if m == 0 { return str }
        let n = limit < 0 || Int64(m) < limit ? m : Int(limit)
        var out: [UInt8] = []
        out.reserveCapacity(s.count + n * (r.count - o.count))
        var start = 0
        for i in 0..<n {
            var j = start
            if o.isEmpty {
                if i > 0 { j += start < s.count ? runeWidth(s[start]) : 0 }
            } else {
                j = index(s, o, from: start) ?? s.count
            }
            out.append(contentsOf: s[start..<min(j, s.count)])
            out.append(contentsOf: r)
            start = j + o.count
        }
        if start < s.count { out.append(contentsOf: s[start...]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// `strings.Split(s, sep)`: every occurrence splits, empty parts kept; an empty `sep`
    /// splits into code points.
    package static func split(_ str: String, _ sepText: String) -> [String] {
        split(str, sepText, -1)
    }

    /// `strings.SplitN(s, sep, n)`; n < 0 splits all, n == 0 gives no pieces.
    static func split(_ str: String, _ sepText: String, _ limit: Int64) -> [String] {
        if limit == 0 { return [] }
        if sepText.isEmpty {
            let runes = Ext.scalars(str)
            var n = runes.count
            if limit > 0, limit < Int64(n) { n = Int(limit) }
            var out: [String] = []
            for i in 0..<n {
                out.append(i == n - 1 ? Ext.string(runes[i...]) : String(Character(runes[i])))
            }
            return out
        }
        let s = Array(str.utf8), sep = Array(sepText.utf8)
        var n = limit < 0 ? Int.max : Int(clamping: limit)
        var out: [String] = []
        var start = 0
        while n > 1, let j = index(s, sep, from: start) {
            out.append(String(decoding: s[start..<j], as: UTF8.self))
            start = j + sep.count
            n -= 1
        }
        out.append(String(decoding: s[start...], as: UTF8.self))
        return out
    }

    /// Go's `unicode.IsSpace`.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// `strings.TrimSpace`.
    static func trimSpace(_ str: String) -> String {
        let runes = Ext.scalars(str)
        var lo = 0, hi = runes.count
        while lo < hi, isSpace(runes[lo]) { lo += 1 }
        while hi > lo, isSpace(runes[hi - 1]) { hi -= 1 }
        return Ext.string(runes[lo..<hi])
    }
}
