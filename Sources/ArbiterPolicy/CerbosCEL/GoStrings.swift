/// Go `strings` helpers that Cerbos's functions rely on, over Unicode scalars so that results
/// do not depend on grapheme clustering.
enum GoStrings {
    /// `strings.Split(s, sep)` for a non-empty `sep`: every occurrence splits, empty parts kept.
    static func split(_ s: String, _ sep: String) -> [String] {
        let hay = Array(s.unicodeScalars), needle = Array(sep.unicodeScalars)
        guard !needle.isEmpty else { return hay.map { String($0) } }
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var i = 0
        while i < hay.count {
            if i + needle.count <= hay.count && hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle {
                parts.append(String(current))
                current = String.UnicodeScalarView()
                i += needle.count
            } else {
                current.append(hay[i])
                i += 1
            }
        }
        parts.append(String(current))
        return parts
    }
}
