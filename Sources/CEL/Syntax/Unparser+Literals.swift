/// How constants and field names are written back as CEL source.
extension Unparser {
    static func literal(_ constant: Expr.Constant) -> String {
        switch constant {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .uint(let value): return "\(value)u"
        case .double(let value): return double(value)
        case .string(let value): return quoted(value)
        case .bytes(let value):
            // Every byte as a three-digit octal escape, as cel-go writes bytes.
            var text = "b\""
            for byte in value {
                let octal = String(byte, radix: 8)
                text += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            }
            return text + "\""
        }
    }

    /// The shortest text that reads back as the same double, always in a floating-point form.
    static func double(_ value: Double) -> String {
        if value.isNaN { return "double(\"NaN\")" }
        if value.isInfinite { return value < 0 ? "double(\"-Infinity\")" : "double(\"Infinity\")" }
        let text = "\(value)"
        if text.contains(".") || text.contains("e") { return text }
        return text + ".0"
    }

    /// A double-quoted string literal with the escapes CEL understands.
    static func quoted(_ value: String) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            case "\u{07}": text += "\\a"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{0B}": text += "\\v"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: false)
                    text += "\\x" + (hex.count < 2 ? "0" : "") + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        return text + "\""
    }

    /// A field name, backtick-quoted when it is not a plain identifier (or is `in`).
    static func quotedField(_ field: String) -> String {
        var plain = !field.isEmpty && field != "in"
        for (index, scalar) in field.unicodeScalars.enumerated() where plain {
            let v = scalar.value
            let letter = (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
            let digit = v >= 0x30 && v <= 0x39
            plain = letter || (digit && index > 0)
        }
        return plain ? field : "`" + field + "`"
    }
}
