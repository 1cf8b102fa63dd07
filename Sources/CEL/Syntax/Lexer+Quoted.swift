/// String and bytes literals: single, double and triple quotes, raw forms, and every escape of
/// cel-spec's langdef (`\a \b \f \n \r \t \v \\ \' \" \` \? \xHH \uHHHH \UHHHHHHHH \ooo`), decoded
/// as cel-go decodes them.
extension Lexer {
    /// Decoded content of a quoted literal: scalars for strings, bytes for bytes literals.
    private struct Decoded {
        var string = String.UnicodeScalarView()
        var bytes: [UInt8] = []
        let isBytes: Bool

        mutating func appendScalar(_ scalar: Unicode.Scalar) {
            if isBytes {
                bytes.append(contentsOf: Array(String(scalar).utf8))
            } else {
                string.append(scalar)
            }
        }

        /// A `\x` or octal escape: a code point in strings, a raw byte in bytes.
        mutating func appendByteEscape(_ value: UInt32) {
            if isBytes {
                bytes.append(UInt8(truncatingIfNeeded: value))
            } else if let scalar = Unicode.Scalar(value) {
                string.append(scalar)
            }
        }
    }

    /// Lexes a literal whose opening quote is at `position`; `start` includes any `r`/`b` prefix.
    mutating func lexQuoted(start: Int, raw: Bool, bytes: Bool) -> Token {
        let quote = scalarAt(position)!
        let triple = scalarAt(position + 1) == quote && scalarAt(position + 2) == quote
        position += triple ? 3 : 1
        var decoded = Decoded(isBytes: bytes)
        while true {
            guard let c = scalarAt(position) else {
                report(start, "Syntax error: token recognition error at: '\(source(start, position))'")
                return Token(kind: .invalid, start: start, end: position)
            }
            if c == quote {
                if !triple {
                    position += 1
                    break
                }
                if scalarAt(position + 1) == quote && scalarAt(position + 2) == quote {
                    position += 3
                    break
                }
            }
            if !triple && (c == "\n" || c == "\r") {
                report(start, "Syntax error: token recognition error at: '\(source(start, position + 1))'")
                position += 1
                return Token(kind: .invalid, start: start, end: position)
            }
            if c == "\r" {
                // cel-go normalises literal CR LF and lone CR to LF in every string form.
                if scalarAt(position + 1) == "\n" { position += 1 }
                decoded.appendScalar("\n")
                position += 1
                continue
            }
            if c == "\\" && !raw {
                // Like ANTLR, a bad escape ends the token; lexing resumes after the bad character.
                if !lexEscape(into: &decoded, tokenStart: start) {
                    return Token(kind: .invalid, start: start, end: position)
                }
                continue
            }
            decoded.appendScalar(c)
            position += 1
        }
        if bytes {
            return Token(kind: .bytesLiteral, start: start, end: position, bytes: decoded.bytes)
        }
        return Token(kind: .stringLiteral, start: start, end: position, text: String(decoded.string))
    }

    /// Decodes one escape at `position` (which holds the backslash). Returns false after
    /// reporting an invalid escape.
    private mutating func lexEscape(into decoded: inout Decoded, tokenStart: Int) -> Bool {
        position += 1
        guard let e = scalarAt(position) else { return true }
        position += 1
        switch e {
        case "a": decoded.appendScalar("\u{07}")
        case "b": decoded.appendScalar("\u{08}")
        case "f": decoded.appendScalar("\u{0C}")
        case "n": decoded.appendScalar("\n")
        case "r": decoded.appendScalar("\r")
        case "t": decoded.appendScalar("\t")
        case "v": decoded.appendScalar("\u{0B}")
        case "\\", "'", "\"", "`", "?": decoded.appendScalar(e)
        case "x", "X":
            guard let value = hexValue(count: 2) else { return badEscape(tokenStart) }
            decoded.appendByteEscape(value)
        case "u", "U":
            let count = e == "u" ? 4 : 8
            guard let value = hexValue(count: count) else { return badEscape(tokenStart) }
            // cel-go accepts these in bytes too (as UTF-8), and turns a lone surrogate into U+FFFD;
            // Cerbos parses what cel-go parses, so this follows cel-go rather than the langdef.
            if value > 0x10FFFF && !decoded.isBytes {
                report(tokenStart, "unable to unescape string")
                return false
            }
            decoded.appendScalar(Unicode.Scalar(value) ?? "\u{FFFD}")
        case "0"..."3":
            guard let o1 = octal(scalarAt(position)) else {
                position += scalarAt(position) == nil ? 0 : 1
                return badEscape(tokenStart)
            }
            guard let o2 = octal(scalarAt(position + 1)) else {
                position += scalarAt(position + 1) == nil ? 1 : 2
                return badEscape(tokenStart)
            }
            position += 2
            decoded.appendByteEscape((e.value - 0x30) * 64 + o1 * 8 + o2)
        default:
            return badEscape(tokenStart)
        }
        return true
    }

    private mutating func badEscape(_ tokenStart: Int) -> Bool {
        report(tokenStart, "Syntax error: token recognition error at: '\(source(tokenStart, position))'")
        return false
    }

    private mutating func hexValue(count: Int) -> UInt32? {
        var value: UInt32 = 0
        for i in 0..<count {
            guard let c = scalarAt(position + i) else {
                position += i
                return nil
            }
            let digit: UInt32
            switch c.value {
            case 0x30...0x39: digit = c.value - 0x30
            case 0x41...0x46: digit = c.value - 0x41 + 10
            case 0x61...0x66: digit = c.value - 0x61 + 10
            default:
                // ANTLR's error text runs through the first character that does not fit.
                position += i + 1
                return nil
            }
            value = value &* 16 &+ digit
        }
        position += count
        return value
    }

    private func octal(_ c: Unicode.Scalar?) -> UInt32? {
        guard let c, c.value >= 0x30, c.value <= 0x37 else { return nil }
        return c.value - 0x30
    }
}
