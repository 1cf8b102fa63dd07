/// A `pattern` simple enough to match without RE2: optional `^`, a sequence of ASCII literals,
/// ASCII classes (`[A-Z0-9_]`, `\d`, `\w`, `\s`) and greedy quantifiers (`?`, `*`, `+`,
/// `{m}`, `{m,}`, `{m,n}`), optional `$`. Typical attribute patterns (`^[A-Z]{2}[0-9]{3,}$`)
/// are of this shape, and an RE2 call costs more than the whole match.
///
/// Matching is RE2's (a search, `$` only at the end of the text), computed as the set of text
/// positions reachable after each atom, one bit per position; texts of 64 or more bytes go to
/// RE2. Every atom matches ASCII bytes only, so a non-ASCII character (all of whose UTF-8 bytes
/// are >= 0x80) never matches, as in RE2.
struct SimplePattern: Sendable {
    private struct Atom: Sendable {
        /// The bytes matched, one bit per ASCII byte.
        var low: UInt64 = 0
        var high: UInt64 = 0
        var min = 1
        var max = 1

        @inline(__always) func accepts(_ b: UInt8) -> Bool {
            b < 64 ? low & (1 << UInt64(b)) != 0 : b < 128 && high & (1 << UInt64(b - 64)) != 0
        }

        mutating func add(_ b: UInt8) {
            if b < 64 { low |= 1 << UInt64(b) } else { high |= 1 << UInt64(b - 64) }
        }

        mutating func add(_ from: UInt8, _ to: UInt8) {
            for b in from...to { add(b) }
        }
    }

    private let atoms: [Atom]
    private let anchoredStart: Bool
    private let anchoredEnd: Bool

    /// The matcher for `source`, nil when it uses anything outside the subset.
    init?(_ source: String) {
        var b = Array(source.utf8)
        var anchoredStart = false, anchoredEnd = false
        if b.first == UInt8(ascii: "^") { anchoredStart = true; b.removeFirst() }
        if b.last == UInt8(ascii: "$"), !(b.count >= 2 && b[b.count - 2] == UInt8(ascii: "\\")) {
            anchoredEnd = true
            b.removeLast()
        }
        var atoms: [Atom] = []
        var i = 0
        while i < b.count {
            var atom = Atom()
            let c = b[i]
            i += 1
            switch c {
            case UInt8(ascii: "["):
                guard i < b.count, b[i] != UInt8(ascii: "^") else { return nil }
                var first = true
                while true {
                    guard i < b.count else { return nil }
                    var from = b[i]
                    i += 1
                    if from == UInt8(ascii: "]") && !first { break }
                    first = false
                    if from == UInt8(ascii: "\\") {
                        guard i < b.count else { return nil }
                        let e = b[i]
                        i += 1
                        if Self.addPerlClass(e, to: &atom) { continue }
                        guard Self.isPunctuation(e) else { return nil }
                        from = e
                    } else if from == UInt8(ascii: "[") || from >= 0x80 {
                        return nil
                    }
                    if i + 1 < b.count, b[i] == UInt8(ascii: "-"), b[i + 1] != UInt8(ascii: "]") {
                        let to = b[i + 1]
                        guard to != UInt8(ascii: "\\"), to != UInt8(ascii: "["), to < 0x80, from <= to else { return nil }
                        atom.add(from, to)
                        i += 2
                    } else {
                        atom.add(from)
                    }
                }
            case UInt8(ascii: "\\"):
                guard i < b.count else { return nil }
                let e = b[i]
                i += 1
                if !Self.addPerlClass(e, to: &atom) {
                    guard Self.isPunctuation(e) else { return nil }
                    atom.add(e)
                }
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "@"), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: " "),
                 UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "="), UInt8(ascii: ","), UInt8(ascii: "'"):
                atom.add(c)
            default:
                return nil
            }
            // A quantifier, then anything but a non-greedy or possessive marker.
            if i < b.count {
                switch b[i] {
                case UInt8(ascii: "?"): atom.min = 0; atom.max = 1; i += 1
                case UInt8(ascii: "*"): atom.min = 0; atom.max = Int.max; i += 1
                case UInt8(ascii: "+"): atom.min = 1; atom.max = Int.max; i += 1
                case UInt8(ascii: "{"):
                    guard let (min, max, next) = Self.repetition(b, i + 1) else { return nil }
                    atom.min = min
                    atom.max = max
                    i = next
                default: break
                }
                if i < b.count, [UInt8(ascii: "?"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "{")].contains(b[i]) { return nil }
            }
            atoms.append(atom)
        }
        self.atoms = atoms
        self.anchoredStart = anchoredStart
        self.anchoredEnd = anchoredEnd
    }

    /// `{m}`, `{m,}`, `{m,n}` from just after the brace: the bounds and the index after `}`.
    private static func repetition(_ b: [UInt8], _ start: Int) -> (Int, Int, Int)? {
        var i = start
        func number() -> Int? {
            var n = 0, digits = 0
            while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9"), digits < 4 {
                n = n * 10 + Int(b[i] - UInt8(ascii: "0"))
                i += 1
                digits += 1
            }
            return digits > 0 ? n : nil
        }
        guard let min = number(), i < b.count else { return nil }
        var max = min
        if b[i] == UInt8(ascii: ",") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "}") { max = Int.max } else {
                guard let n = number(), n >= min else { return nil }
                max = n
            }
        }
        // RE2 refuses repetition counts over 1000.
        guard i < b.count, b[i] == UInt8(ascii: "}"), min <= 1000, max == Int.max || max <= 1000 else { return nil }
        return (min, max, i + 1)
    }

    private static func addPerlClass(_ e: UInt8, to atom: inout Atom) -> Bool {
        switch e {
        case UInt8(ascii: "d"): atom.add(UInt8(ascii: "0"), UInt8(ascii: "9"))
        case UInt8(ascii: "w"):
            atom.add(UInt8(ascii: "0"), UInt8(ascii: "9"))
            atom.add(UInt8(ascii: "A"), UInt8(ascii: "Z"))
            atom.add(UInt8(ascii: "a"), UInt8(ascii: "z"))
            atom.add(UInt8(ascii: "_"))
        case UInt8(ascii: "s"):
            for c in [9, 10, 12, 13, 32] as [UInt8] { atom.add(c) }
        default: return false
        }
        return true
    }

    /// ASCII punctuation, which a backslash makes literal in RE2.
    private static func isPunctuation(_ e: UInt8) -> Bool {
        (0x21...0x2F).contains(e) || (0x3A...0x40).contains(e) || (0x5B...0x60).contains(e) || (0x7B...0x7E).contains(e)
    }

    /// Whether the pattern matches somewhere in `text` (RE2's answer); nil when the text is too
    /// long for the one-word position set.
    func matches(_ text: String) -> Bool? {
        var copy = text
        return copy.withUTF8 { bytes -> Bool? in
            let length = bytes.count
            guard length < 64 else { return nil }
            var reachable: UInt64 = anchoredStart ? 1 : (UInt64(2) << UInt64(length)) &- 1
            for atom in atoms {
                var next: UInt64 = 0
                var positions = reachable
                while positions != 0 {
                    let p = positions.trailingZeroBitCount
                    positions &= positions &- 1
                    var run = 0
                    if atom.min <= 0 { next |= 1 << UInt64(p) }
                    while run < atom.max, p + run < length, atom.accepts(bytes[p + run]) {
                        run += 1
                        if run >= atom.min { next |= 1 << UInt64(p + run) }
                    }
                }
                reachable = next
                if reachable == 0 { return false }
            }
            return anchoredEnd ? reachable & (1 << UInt64(length)) != 0 : reachable != 0
        }
    }
}
