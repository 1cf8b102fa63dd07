/// The checks behind `SchemaFormat`, on UTF-8 bytes where the grammar is ASCII.
enum FormatCheck {
    private static func digits(_ b: ArraySlice<UInt8>) -> Int? {
        guard !b.isEmpty else { return nil }
        var n = 0
        for c in b {
            guard c >= 0x30 && c <= 0x39 else { return nil }
            n = n * 10 + Int(c - 0x30)
        }
        return n
    }

    /// RFC 3339 `full-date`.
    static func date(_ b: ArraySlice<UInt8>) -> Bool {
        guard b.count == 10 else { return false }
        let s = b.startIndex
        guard b[s + 4] == UInt8(ascii: "-"), b[s + 7] == UInt8(ascii: "-"),
              let year = digits(b[s..<s + 4]), let month = digits(b[s + 5..<s + 7]), let day = digits(b[s + 8..<s + 10]) else { return false }
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }

    /// RFC 3339 `full-time`, leap seconds only at 23:59:60 UTC.
    static func time(_ b: ArraySlice<UInt8>) -> Bool {
        guard b.count >= 9 else { return false }
        let s = b.startIndex
        guard b[s + 2] == UInt8(ascii: ":"), b[s + 5] == UInt8(ascii: ":"),
              let hour = digits(b[s..<s + 2]), let minute = digits(b[s + 3..<s + 5]), let second = digits(b[s + 6..<s + 8]),
              hour <= 23, minute <= 59, second <= 60 else { return false }
        var i = s + 8
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.endIndex, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > start else { return false }
        }
        guard i < b.endIndex else { return false }
        var offsetMinutes = 0
        switch b[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard i + 1 == b.endIndex else { return false }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard b.endIndex - i == 6, b[i + 3] == UInt8(ascii: ":"),
                  let oh = digits(b[i + 1..<i + 3]), let om = digits(b[i + 4..<i + 6]), oh <= 23, om <= 59 else { return false }
            offsetMinutes = (oh * 60 + om) * (b[i] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return false
        }
        if second == 60 {
            let utc = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    static func dateTime(_ b: [UInt8]) -> Bool {
        guard b.count > 11, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") else { return false }
        return date(b[0..<10]) && time(b[11...])
    }

    /// ISO 8601 durations as RFC 3339 appendix A gives them: `P` then date units in the order
    /// Y, M, D without gaps (`P1Y2D` is not one), then `T` and H, M, S likewise; or `PnW` alone.
    static func duration(_ b: [UInt8]) -> Bool {
        guard b.first == UInt8(ascii: "P"), b.count > 1 else { return false }
        var i = 1
        var units = Array("YMD".utf8)
        var last = -1
        var any = false
        var emptyTime = false
        while i < b.count {
            if b[i] == UInt8(ascii: "T") {
                guard units.count == 3 && units[0] == UInt8(ascii: "Y") else { return false }
                units = Array("HMS".utf8)
                last = -1
                emptyTime = true
                i += 1
                continue
            }
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > start, i < b.count else { return false }
            let unit = b[i]
            i += 1
            if unit == UInt8(ascii: "W") && units[0] == UInt8(ascii: "Y") {
                return !any && i == b.count
            }
            guard let k = units.firstIndex(of: unit), k > last, last == -1 || k == last + 1 else { return false }
            last = k
            any = true
            emptyTime = false
        }
        return any && !emptyTime
    }

    static func ipv4(_ b: ArraySlice<UInt8>) -> Bool {
        let parts = b.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for p in parts {
            guard !p.isEmpty, p.count <= 3, let n = digits(p), n <= 255 else { return false }
            if p.count > 1 && p.first == UInt8(ascii: "0") { return false }
        }
        return true
    }

    static func ipv6(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard !b.isEmpty, b.count <= 45 else { return false }
        var groups = 0
        var compressed = false
        var i = 0
        if b.starts(with: Array("::".utf8)) {
            compressed = true
            i = 2
            if i == b.count { return true }
        } else if b.first == UInt8(ascii: ":") {
            return false
        }
        while i < b.count {
            var j = i
            while j < b.count, b[j] != UInt8(ascii: ":") { j += 1 }
            let part = b[i..<j]
            if j == b.count, part.contains(UInt8(ascii: ".")) {
                guard ipv4(part) else { return false }
                groups += 2
                break
            }
            guard (1...4).contains(part.count), part.allSatisfy({ SchemaURI.hexValue($0) != nil }) else { return false }
            groups += 1
            if j == b.count { break }
            // j is a colon
            if j + 1 < b.count, b[j + 1] == UInt8(ascii: ":") {
                guard !compressed else { return false }
                compressed = true
                i = j + 2
                if i == b.count { break }
            } else {
                i = j + 1
                guard i < b.count else { return false }
            }
        }
        return compressed ? groups < 8 : groups == 8
    }

    /// RFC 1123 host names; A-labels and, with `international`, U-labels under IDNA2008.
    static func hostname(_ s: String, international: Bool) -> Bool {
        IDNA.hostname(s, international: international)
    }

    static func email(_ s: String, international: Bool) -> Bool {
        guard let at = s.lastIndex(of: "@") else { return false }
        let local = s[..<at]
        let domain = s[s.index(after: at)...]
        guard !local.isEmpty, !domain.isEmpty else { return false }
        if local.hasPrefix("\"") {
            guard local.count >= 2, local.hasSuffix("\"") else { return false }
        } else {
            guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { return false }
            let specials = Set("!#$%&'*+-/=?^_`{|}~.".unicodeScalars)
            for c in local.unicodeScalars {
                let ok = (c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c))) || specials.contains(c)
                    || (international && !c.isASCII)
                if !ok { return false }
            }
        }
        if domain.hasPrefix("[") {
            guard domain.hasSuffix("]") else { return false }
            let literal = domain.dropFirst().dropLast()
            if literal.hasPrefix("IPv6:") { return ipv6(String(literal.dropFirst(5))) }
            return ipv4(Array(literal.utf8)[...])
        }
        return hostname(String(domain), international: international)
    }

    private static let uriAllowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%".unicodeScalars)

    static func uri(_ s: String, reference: Bool, international: Bool) -> Bool {
        let scalars = Array(s.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "%" {
                guard percentEncoded(scalars, at: i) else { return false }
                i += 3
                continue
            }
            if !uriAllowed.contains(c) {
                guard international, !c.isASCII, c.properties.generalCategory != .spaceSeparator else { return false }
            }
            i += 1
        }
        let hasScheme = SchemaURI.hasScheme(s)
        if !hasScheme {
            guard reference else { return false }
            // A relative reference's first segment must not look like a scheme.
            let firstSegment = s.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            if firstSegment.contains(":") { return false }
        }
        var rest = Substring(s)
        if hasScheme, let colon = rest.firstIndex(of: ":") { rest = rest[rest.index(after: colon)...] }
        if let hash = rest.firstIndex(of: "#") {
            if rest[rest.index(after: hash)...].contains("#") { return false }
            rest = rest[..<hash]
        }
        if rest.hasPrefix("//") {
            let authority = rest.dropFirst(2).prefix { $0 != "/" && $0 != "?" }
            var host = Substring(authority)
            if let at = host.lastIndex(of: "@") {
                let userinfo = host[..<at]
                if userinfo.contains("@") || userinfo.contains("[") || userinfo.contains("]") { return false }
                host = host[host.index(after: at)...]
            }
            if host.hasPrefix("[") {
                guard let close = host.firstIndex(of: "]") else { return false }
                let literal = host[host.index(after: host.startIndex)..<close]
                if !literal.hasPrefix("v") && !literal.hasPrefix("V") && !ipv6(String(literal)) { return false }
                let after = host[host.index(after: close)...]
                if !after.isEmpty && !(after.hasPrefix(":") && after.dropFirst().allSatisfy(\.isNumber)) { return false }
            } else {
                if host.contains("[") || host.contains("]") || host.filter({ $0 == ":" }).count > 1 { return false }
                if let colon = host.lastIndex(of: ":"), !host[host.index(after: colon)...].allSatisfy(\.isNumber) { return false }
            }
        } else if rest.contains("[") || rest.contains("]") {
            return false
        }
        return true
    }

    /// RFC 6570 templates: literals without the characters the RFC excludes, expressions of an
    /// optional operator and comma-separated varspecs with `:max-length` (1-9999) or `*`.
    /// Whether `scalars[i]` (a `%`) starts a `%XX` escape.
    private static func percentEncoded(_ scalars: [Unicode.Scalar], at i: Int) -> Bool {
        guard i + 2 < scalars.count, scalars[i + 1].isASCII, scalars[i + 2].isASCII else { return false }
        return SchemaURI.hexValue(UInt8(scalars[i + 1].value)) != nil && SchemaURI.hexValue(UInt8(scalars[i + 2].value)) != nil
    }

    static func uriTemplate(_ s: String) -> Bool {
        let scalars = Array(s.unicodeScalars)
        var i = 0
        let excluded = Set(" \"<>\\^`|}".unicodeScalars)
        while i < scalars.count {
            let c = scalars[i]
            if c == "{" {
                guard let close = scalars[i...].firstIndex(of: "}") else { return false }
                guard expression(Array(scalars[(i + 1)..<close])) else { return false }
                i = close + 1
                continue
            }
            if c == "%" {
                guard percentEncoded(scalars, at: i) else { return false }
                i += 3
                continue
            }
            if excluded.contains(c) || c.value < 0x21 || c.value == 0x7F { return false }
            i += 1
        }
        return true
    }

    private static func expression(_ e: [Unicode.Scalar]) -> Bool {
        var body = e[...]
        if let first = body.first, "+#./;?&=,!@|".unicodeScalars.contains(first) { body = body.dropFirst() }
        guard !body.isEmpty else { return false }
        for spec in body.split(separator: ",", omittingEmptySubsequences: false) {
            var name = spec
            if name.last == "*" {
                name = name.dropLast()
            } else if let colon = name.firstIndex(of: ":") {
                let length = name[(colon + 1)...]
                guard (1...4).contains(length.count), length.first != "0",
                      length.allSatisfy({ ("0"..."9").contains($0) }) else { return false }
                name = name[..<colon]
            }
            guard !name.isEmpty, name.first != ".", name.last != "." else { return false }
            var previousDot = false
            for c in name {
                if c == "." {
                    if previousDot { return false }
                    previousDot = true
                    continue
                }
                previousDot = false
                guard c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "%") else { return false }
            }
        }
        return true
    }

    static func jsonPointer(_ s: String) -> Bool {
        if s.isEmpty { return true }
        guard s.hasPrefix("/") else { return false }
        let b = Array(s.utf8)
        for (i, c) in b.enumerated() where c == UInt8(ascii: "~") {
            guard i + 1 < b.count, b[i + 1] == UInt8(ascii: "0") || b[i + 1] == UInt8(ascii: "1") else { return false }
        }
        return true
    }

    static func relativeJSONPointer(_ s: String) -> Bool {
        let number = s.prefix { $0.isASCII && $0.isNumber }
        guard !number.isEmpty, number == "0" || !number.hasPrefix("0") else { return false }
        let rest = s[number.endIndex...]
        if rest == "#" { return true }
        var tail = rest
        if tail.hasPrefix("+") || tail.hasPrefix("-") {
            let offset = tail.dropFirst().prefix { $0.isASCII && $0.isNumber }
            guard !offset.isEmpty, offset == "0" || !offset.hasPrefix("0") else { return false }
            tail = tail[offset.endIndex...]
            if tail == "#" { return true }
        }
        return jsonPointer(String(tail))
    }

    static func uuid(_ b: [UInt8]) -> Bool {
        guard b.count == 36 else { return false }
        for (i, c) in b.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard c == UInt8(ascii: "-") else { return false }
            } else if SchemaURI.hexValue(c) == nil {
                return false
            }
        }
        return true
    }
}
