/// Host names under IDNA2008 (RFC 5890-5893), for the `hostname`, `idn-hostname` and
/// `idn-email` formats: A-labels (`xn--` Punycode) are decoded and must re-encode to themselves,
/// U-labels must hold only PVALID code points or CONTEXTJ / CONTEXTO ones whose rule holds
/// (RFC 5892 appendix A), and a name with a right-to-left label must satisfy the Bidi rule
/// (RFC 5893) in every label. Labels are not mapped (no case folding or NFC beyond ASCII
/// letters, which compare case-insensitively as in DNS).
enum IDNA {
    /// The separators of `idn-hostname` labels: full stop, ideographic, fullwidth and halfwidth
    /// ideographic full stops (RFC 3490 section 3.1).
    private static let separators: Set<Unicode.Scalar> = ["\u{2E}", "\u{3002}", "\u{FF0E}", "\u{FF61}"]

    /// Whether `text` is a host name: LDH labels and valid A-labels, or with `international`
    /// also U-labels; at most 63 octets per label and 253 for the name in its A-label form.
    static func hostname(_ text: String, international: Bool) -> Bool {
        var labels: [[Unicode.Scalar]] = [[]]
        for c in text.unicodeScalars {
            if c == "." || (international && separators.contains(c)) {
                labels.append([])
            } else {
                labels[labels.count - 1].append(c)
            }
        }
        var asciiLength = labels.count - 1
        var decoded: [[Unicode.Scalar]] = []
        decoded.reserveCapacity(labels.count)
        for label in labels {
            guard !label.isEmpty else { return false }
            let unicode: [Unicode.Scalar]
            if label.allSatisfy(\.isASCII) {
                guard label.count <= 63 else { return false }
                let lower = label.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }
                if lower.count >= 4, lower[0] == "x", lower[1] == "n", lower[2] == "-", lower[3] == "-" {
                    guard let u = aLabel(lower) else { return false }
                    unicode = u
                } else {
                    guard ldh(lower) else { return false }
                    unicode = lower
                }
                asciiLength += label.count
            } else {
                guard international, let encoded = Punycode.encode(label) else { return false }
                let length = 4 + encoded.utf8.count
                guard length <= 63, uLabel(label) else { return false }
                asciiLength += length
                unicode = label
            }
            decoded.append(unicode)
        }
        guard asciiLength <= 253 else { return false }
        // RFC 5893 section 2: in a name with any right-to-left label, every label obeys the rule.
        if decoded.contains(where: { $0.contains(where: isRightToLeft) }) {
            return decoded.allSatisfy(bidiRule)
        }
        return true
    }

    /// An ASCII label of letters, digits and hyphens, not starting or ending with a hyphen and
    /// without `--` in positions 3 and 4 (reserved for A-labels).
    private static func ldh(_ label: [Unicode.Scalar]) -> Bool {
        guard label.first != "-", label.last != "-" else { return false }
        if label.count >= 4, label[2] == "-", label[3] == "-" { return false }
        return label.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// The U-label of the lower-cased A-label `label`, nil unless it is Punycode that decodes to a
    /// valid U-label with some non-ASCII code point and encodes back to the same text.
    private static func aLabel(_ label: [Unicode.Scalar]) -> [Unicode.Scalar]? {
        let punycode = String(String.UnicodeScalarView(label.dropFirst(4)))
        guard let decoded = Punycode.decode(punycode[...].utf8), decoded.contains(where: { !$0.isASCII }),
              Punycode.encode(decoded) == punycode, uLabel(decoded) else { return nil }
        return decoded
    }

    /// RFC 5891 section 5.4: hyphen rules, no leading combining mark, and every code point
    /// PVALID or allowed by its contextual rule.
    private static func uLabel(_ label: [Unicode.Scalar]) -> Bool {
        guard let first = label.first, first != "-", label.last != "-" else { return false }
        if label.count >= 4, label[2] == "-", label[3] == "-" { return false }
        switch first.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return false
        default: break
        }
        for i in label.indices {
            let c = label[i]
            // ASCII letters compare case-insensitively; the table lists only the lower case.
            let lookup = ("A"..."Z").contains(c) ? Unicode.Scalar(c.value + 32)! : c
            switch IDNATables.derived.value(lookup) {
            case 1: continue
            case 2: guard contextJ(label, at: i) else { return false }
            case 3: guard contextO(label, at: i) else { return false }
            default: return false
            }
        }
        return true
    }

    private static let virama: UInt8 = 9

    /// RFC 5892 appendix A.1 and A.2: ZERO WIDTH NON-JOINER and JOINER.
    private static func contextJ(_ label: [Unicode.Scalar], at i: Int) -> Bool {
        if i > 0, label[i - 1].properties.canonicalCombiningClass.rawValue == virama { return true }
        guard label[i] == "\u{200C}" else { return false }
        // (Joining_Type:{L,D})(Joining_Type:T)* ZWNJ (Joining_Type:T)*(Joining_Type:{R,D})
        var j = i - 1
        while j >= 0, IDNATables.joining.value(label[j]) == JoiningType.transparent { j -= 1 }
        guard j >= 0, [JoiningType.left, JoiningType.dual].contains(IDNATables.joining.value(label[j])) else { return false }
        j = i + 1
        while j < label.count, IDNATables.joining.value(label[j]) == JoiningType.transparent { j += 1 }
        return j < label.count && [JoiningType.right, JoiningType.dual].contains(IDNATables.joining.value(label[j]))
    }

    /// RFC 5892 appendix A.3-A.9.
    private static func contextO(_ label: [Unicode.Scalar], at i: Int) -> Bool {
        let c = label[i].value
        switch c {
        case 0x00B7:
            return i > 0 && i + 1 < label.count && label[i - 1] == "l" && label[i + 1] == "l"
        case 0x0375:
            return i + 1 < label.count && IDNATables.scripts.value(label[i + 1]) == Script.greek
        case 0x05F3, 0x05F4:
            return i > 0 && IDNATables.scripts.value(label[i - 1]) == Script.hebrew
        case 0x30FB:
            return label.contains { $0 != "\u{30FB}" && (Script.hiragana...Script.han).contains(IDNATables.scripts.value($0)) }
        case 0x0660...0x0669:
            return !label.contains { (0x06F0...0x06F9).contains($0.value) }
        case 0x06F0...0x06F9:
            return !label.contains { (0x0660...0x0669).contains($0.value) }
        default:
            return false
        }
    }

    private static func isRightToLeft(_ c: Unicode.Scalar) -> Bool {
        let bidi = IDNATables.bidi.value(c)
        return bidi == Bidi.r || bidi == Bidi.al || bidi == Bidi.an
    }

    /// RFC 5893 section 2, rules 1-6, for one label.
    private static func bidiRule(_ label: [Unicode.Scalar]) -> Bool {
        let classes = label.map { IDNATables.bidi.value(("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0) }
        guard let first = classes.first, let last = classes.last(where: { $0 != Bidi.nsm }) else { return false }
        let neutral: Set<UInt8> = [Bidi.es, Bidi.cs, Bidi.et, Bidi.on, Bidi.bn, Bidi.nsm]
        if first == Bidi.r || first == Bidi.al {
            let allowed = neutral.union([Bidi.r, Bidi.al, Bidi.an, Bidi.en])
            guard classes.allSatisfy(allowed.contains), [Bidi.r, Bidi.al, Bidi.en, Bidi.an].contains(last) else { return false }
            return !(classes.contains(Bidi.en) && classes.contains(Bidi.an))
        }
        guard first == Bidi.l else { return false }
        let allowed = neutral.union([Bidi.l, Bidi.en])
        return classes.allSatisfy(allowed.contains) && (last == Bidi.l || last == Bidi.en)
    }

    /// Values of `IDNATables.bidi`.
    private enum Bidi {
        static let l: UInt8 = 0, r: UInt8 = 1, al: UInt8 = 2, an: UInt8 = 3, en: UInt8 = 4, es: UInt8 = 5
        static let cs: UInt8 = 6, et: UInt8 = 7, on: UInt8 = 8, bn: UInt8 = 9, nsm: UInt8 = 10
    }

    /// Values of `IDNATables.joining`.
    private enum JoiningType {
        static let left: UInt8 = 1, dual: UInt8 = 2, right: UInt8 = 3, transparent: UInt8 = 4
    }

    /// Values of `IDNATables.scripts`.
    private enum Script {
        static let greek: UInt8 = 1, hebrew: UInt8 = 2, hiragana: UInt8 = 3, katakana: UInt8 = 4, han: UInt8 = 5
    }
}
