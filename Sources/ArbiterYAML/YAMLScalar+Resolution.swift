/// What a scalar means once resolved the way Cerbos's Go YAML reader resolves plain scalars
/// (YAML 1.2 core schema: `yes`/`on` stay strings).
public enum YAMLResolvedScalar: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
}

extension YAMLScalar {
    /// The scalar's resolved value; quoted, block and `!!str`-tagged scalars are always strings.
    public var resolved: YAMLResolvedScalar {
        if let tag {
            switch tag {
            case "tag:yaml.org,2002:str", "!!str": return .string(value)
            case "tag:yaml.org,2002:null", "!!null": return .null
            default: break
            }
        }
        guard style == .plain else { return .string(value) }
        return Self.resolvePlain(value)
    }

    /// Resolves plain scalar text; exposed for the JSON-like value decoder and tests.
    public static func resolvePlain(_ text: String) -> YAMLResolvedScalar {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        guard let first = text.utf8.first,
              first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        else { return .string(text) }
        if let i = parseInteger(text) { return .int(i) }
        if isDecimalFloat(text), let d = Double(text.replacingUnderscores()) { return .double(d) }
        return .string(text)
    }

    private static func parseInteger(_ text: String) -> Int64? {
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("-") { negative = true; body = body.dropFirst() } else if body.hasPrefix("+") { body = body.dropFirst() }
        guard !body.isEmpty else { return nil }
        var radix = 10
        if body.hasPrefix("0x") { radix = 16; body = body.dropFirst(2) }
        else if body.hasPrefix("0o") { radix = 8; body = body.dropFirst(2) }
        else if body.hasPrefix("0b") { radix = 2; body = body.dropFirst(2) }
        let digits = String(body).replacingUnderscores()
        guard !digits.isEmpty, let magnitude = UInt64(digits, radix: radix) else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// `[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?`, checked by hand to avoid a regex engine.
    private static func isDecimalFloat(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var i = 0
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        var mantissaDigits = 0
        while i < bytes.count, isDigit(bytes[i]) || (mantissaDigits > 0 && bytes[i] == UInt8(ascii: "_")) {
            if isDigit(bytes[i]) { mantissaDigits += 1 }
            i += 1
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "_") {
                if isDigit(bytes[i]) { mantissaDigits += 1 }
                i += 1
            }
        }
        guard mantissaDigits > 0 else { return false }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
            var expDigits = 0
            while i < bytes.count, isDigit(bytes[i]) { expDigits += 1; i += 1 }
            guard expDigits > 0 else { return false }
        }
        return i == bytes.count
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        utf8.contains(UInt8(ascii: "_")) ? String(unicodeScalars.filter { $0 != "_" }) : self
    }
}
