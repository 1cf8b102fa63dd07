/// A minimal reader for Go's txtar archives: an optional comment, then `-- name --` header lines,
/// each followed by that file's lines (kept byte for byte, line ends included).
struct Txtar {
    var comment: String
    var files: [(name: String, contents: String)]

    init(_ text: String) {
        var comment = ""
        var files: [(String, String)] = []
        var currentName: String?
        var current = ""
        var rest = Substring(text)
        while !rest.isEmpty {
            let line: Substring
            if let nl = rest.firstIndex(of: "\n") {
                line = rest[...nl]
                rest = rest[rest.index(after: nl)...]
            } else {
                line = rest
                rest = ""
            }
            let bare = line.hasSuffix("\n") ? line.dropLast() : line
            if bare.hasPrefix("-- "), bare.hasSuffix(" --"), bare.count >= 6 {
                if let name = currentName { files.append((name, current)) } else { comment = current }
                currentName = String(bare.dropFirst(3).dropLast(3)).trimmingSpaces()
                current = ""
            } else {
                current += line
            }
        }
        if let name = currentName { files.append((name, current)) } else { comment = current }
        self.comment = comment
        self.files = files
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
