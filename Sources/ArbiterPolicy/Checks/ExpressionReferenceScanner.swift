/// Finds `V.x` / `variables.x` and `C.x` / `constants.x` references in CEL source text without a full
/// parse: it skips string literals and comments and only takes a namespace identifier that is not itself
/// a field (`request.variables.x` is not a reference).
///
/// This is enough for the policy-level checks that Cerbos runs before type checking (undefined names,
/// cycles); everything else about an expression is left to the CEL compile step.
public enum ExpressionReferenceScanner {
    /// Which namespace a reference is in.
    public enum Namespace: Sendable, Hashable {
        case variables, constants
    }

    /// One reference and where its namespace identifier starts in the text (offset in Unicode scalars).
    public struct Reference: Sendable, Hashable {
        /// Variables or constants.
        public var namespace: Namespace
        /// The referenced name.
        public var name: String
        /// Offset of `V`/`variables`/`C`/`constants` in the text, in Unicode scalars.
        public var offset: Int
    }

    /// All references in `text`, in order.
    public static func references(in text: String) -> [Reference] {
        let chars = Array(text.unicodeScalars)
        var result: [Reference] = []
        var i = 0
        var previousSignificant: Unicode.Scalar? = nil
        while i < chars.count {
            let c = chars[i]
            if c == "/" && i + 1 < chars.count && chars[i + 1] == "/" {
                while i < chars.count && chars[i] != "\n" { i += 1 }
                continue
            }
            if c == "\"" || c == "'" {
                let raw = i > 0 && (chars[i - 1] == "r" || chars[i - 1] == "R")
                i = skipString(chars, from: i, raw: raw)
                previousSignificant = "\""
                continue
            }
            if isIdentifierStart(c) {
                let start = i
                while i < chars.count && isIdentifierPart(chars[i]) { i += 1 }
                // Compared in place: a String per identifier was most of the scan's cost.
                let word = chars[start..<i]
                let namespace: Namespace?
                if word.elementsEqual(["V"]) || word.elementsEqual(Self.variablesWord) {
                    namespace = .variables
                } else if word.elementsEqual(["C"]) || word.elementsEqual(Self.constantsWord) {
                    namespace = .constants
                } else {
                    namespace = nil
                }
                if let namespace, previousSignificant != "." {
                    var j = i
                    while j < chars.count && isWhitespace(chars[j]) { j += 1 }
                    if j < chars.count && chars[j] == "." {
                        j += 1
                        if j < chars.count && chars[j] == "?" { j += 1 }
                        while j < chars.count && isWhitespace(chars[j]) { j += 1 }
                        let nameStart = j
                        while j < chars.count && isIdentifierPart(chars[j]) { j += 1 }
                        if j > nameStart, isIdentifierStart(chars[nameStart]) {
                            result.append(Reference(namespace: namespace, name: String(String.UnicodeScalarView(chars[nameStart..<j])), offset: start))
                        }
                    }
                }
                previousSignificant = "a"
                continue
            }
            if !isWhitespace(c) { previousSignificant = c }
            i += 1
        }
        return result
    }

    /// Index just past the string literal starting at `from` (single, double or triple quoted).
    private static func skipString(_ chars: [Unicode.Scalar], from: Int, raw: Bool) -> Int {
        let quote = chars[from]
        let triple = from + 2 < chars.count && chars[from + 1] == quote && chars[from + 2] == quote
        var i = from + (triple ? 3 : 1)
        while i < chars.count {
            let c = chars[i]
            if c == "\\" && !raw { i += 2; continue }
            if c == quote {
                if !triple { return i + 1 }
                if i + 2 < chars.count && chars[i + 1] == quote && chars[i + 2] == quote { return i + 3 }
            }
            if c == "\n" && !triple { return i }
            i += 1
        }
        return chars.count
    }

    private static let variablesWord = Array("variables".unicodeScalars)
    private static let constantsWord = Array("constants".unicodeScalars)

    /// `properties.isWhitespace`, without the property lookup for ASCII.
    private static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII { return c == " " || (c >= "\t" && c <= "\r") }
        return c.properties.isWhitespace
    }

    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }

    private static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool {
        isIdentifierStart(c) || (c >= "0" && c <= "9")
    }
}
