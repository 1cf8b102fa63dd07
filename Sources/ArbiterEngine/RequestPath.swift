/// Where a value sits in a request, rendered as text only when an error names it.
///
/// Formatting `resources[3].resource` for every entry of every request cost more than decoding
/// the entry itself; the parts here are literals and an integer, so carrying them is free.
struct RequestPath {
    /// The leading part, such as `principal` or `resources`; empty for the whole request.
    var base: String
    /// An array index written as `[i]` after `base`; negative for none.
    var index: Int
    /// Written after the index, such as `.resource`.
    var suffix: String

    init(_ base: String, index: Int = -1, suffix: String = "") {
        self.base = base
        self.index = index
        self.suffix = suffix
    }

    /// The path as errors show it.
    var text: String {
        if index < 0 { return base + suffix }
        return base + "[" + String(index) + "]" + suffix
    }

    /// The path of the member `name`.
    func child(_ name: String) -> String {
        let t = text
        return t.isEmpty ? name : t + "." + name
    }
}
