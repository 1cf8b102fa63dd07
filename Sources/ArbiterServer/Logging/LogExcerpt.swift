/// Shortens text that came from outside (a policy's source line, a client's method name, an
/// error's description) before it is logged or shown in Health: a 2 MB CEL expression in a
/// diagnostic must cost a line, not 2 MB per reload.
public enum LogExcerpt {
    /// The longest line kept whole, in bytes.
    public static let maxLineBytes = 400
    /// The most lines kept of one text.
    public static let maxLines = 20

    /// `text` with each line cut to `maxLineBytes` and at most `maxLines` lines, each cut saying
    /// how much it left out.
    public static func of(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var out = lines.prefix(maxLines).map(cut)
        if lines.count > maxLines { out.append("… (\(lines.count - maxLines) more lines)") }
        return out.joined(separator: "\n")
    }

    private static func cut(_ line: Substring) -> String {
        let bytes = line.utf8.count
        guard bytes > maxLineBytes else { return String(line) }
        var kept = Substring()
        var used = 0
        for ch in line {
            let n = ch.utf8.count
            if used + n > maxLineBytes { break }
            used += n
            kept.append(ch)
        }
        return kept + "… (\(bytes - used) more bytes)"
    }
}
