import CEL

extension JSONWriter {
    /// Formats a finite, non-integral-or-large double like Go's protojson: shortest digits,
    /// `%f` style for 1e-6 ≤ |d| < 1e21, otherwise `%e` style with a two-digit minimum exponent
    /// except that negative single-digit exponents lose the zero (`1e-7`).
    static func goFloatString(_ d: Double) -> String {
        // Swift's description already gives the shortest round-trip digits; only the layout
        // differs from Go's, so decompose it into digits and a decimal exponent.
        var text = d.description
        var negative = false
        if text.hasPrefix("-") {
            negative = true
            text.removeFirst()
        }
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...].replacingOccurrences(plus: true)) ?? 0
        }
        var digits: [UInt8] = []
        var pointIndex: Int? = nil
        for c in mantissa.utf8 {
            if c == UInt8(ascii: ".") { pointIndex = digits.count } else { digits.append(c) }
        }
        // value = 0.digits × 10^k
        var k = (pointIndex ?? digits.count) + exponent
        while digits.first == UInt8(ascii: "0"), digits.count > 1 {
            digits.removeFirst()
            k -= 1
        }
        while digits.last == UInt8(ascii: "0"), digits.count > 1 { digits.removeLast() }
        if digits == [UInt8(ascii: "0")] { return negative ? "-0" : "0" }

        var out: [UInt8] = []
        if negative { out.append(UInt8(ascii: "-")) }
        let magnitude = d.magnitude
        if magnitude < 1e-6 || magnitude >= 1e21 {
            out.append(digits[0])
            if digits.count > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[1...])
            }
            out.append(UInt8(ascii: "e"))
            let e = k - 1
            out.append(e < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let ed = Array(String(e.magnitude).utf8)
            if ed.count < 2, e >= 0 { out.append(UInt8(ascii: "0")) }
            out.append(contentsOf: ed)
        } else if k <= 0 {
            out.append(contentsOf: Array("0.".utf8))
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -k))
            out.append(contentsOf: digits)
        } else if k >= digits.count {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: k - digits.count))
        } else {
            out.append(contentsOf: digits[..<k])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[k...])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits, as protojson writes Timestamps;
    /// nil outside years 1–9999.
    static func rfc3339(_ t: Timestamp) -> String? {
        guard t.seconds >= -62_135_596_800, t.seconds <= 253_402_300_799, t.nanos >= 0, t.nanos < 1_000_000_000 else {
            return nil
        }
        let days = t.seconds >= 0 ? t.seconds / 86400 : (t.seconds - 86399) / 86400
        let secondsOfDay = t.seconds - days * 86400
        let (y, m, d) = civilDate(daysSinceEpoch: days)
        var s = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T"
        s += pad(secondsOfDay / 3600, 2) + ":" + pad(secondsOfDay / 60 % 60, 2) + ":" + pad(secondsOfDay % 60, 2)
        s += fraction(t.nanos)
        return s + "Z"
    }

    /// `google.protobuf.Duration` JSON: seconds with 0, 3, 6 or 9 fractional digits and `s`.
    static func durationString(_ d: CELDuration) -> String {
        let negative = d.seconds < 0 || d.nanos < 0
        let secs = d.seconds.magnitude
        let nanos = Int32(d.nanos.magnitude)
        return (negative ? "-" : "") + String(secs) + fraction(nanos) + "s"
    }

    private static func fraction(_ nanos: Int32) -> String {
        if nanos == 0 { return "" }
        if nanos % 1_000_000 == 0 { return "." + pad(Int64(nanos / 1_000_000), 3) }
        if nanos % 1000 == 0 { return "." + pad(Int64(nanos / 1000), 6) }
        return "." + pad(Int64(nanos), 9)
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Proleptic Gregorian date for a day count since 1970-01-01 (the era-based method:
    /// 400-year eras of 146097 days, March-based years so leap days fall at the end).
    static func civilDate(daysSinceEpoch z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

private extension Substring {
    /// Drops a leading `+`, which `Int.init` rejects in exponents like `e+21`.
    func replacingOccurrences(plus: Bool) -> Substring {
        first == "+" ? dropFirst() : self
    }
}

extension JSONWriter {
    /// Appends standard base64 with padding.
    mutating func appendBase64(_ data: [UInt8]) {
        let table = JSONWriter.base64Table
        var i = 0
        while i + 3 <= data.count {
            let n = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2])
            bytes.append(table[Int(n >> 18 & 63)])
            bytes.append(table[Int(n >> 12 & 63)])
            bytes.append(table[Int(n >> 6 & 63)])
            bytes.append(table[Int(n & 63)])
            i += 3
        }
        let rest = data.count - i
        if rest == 1 {
            let n = UInt32(data[i]) << 16
            bytes.append(table[Int(n >> 18 & 63)])
            bytes.append(table[Int(n >> 12 & 63)])
            bytes.append(UInt8(ascii: "="))
            bytes.append(UInt8(ascii: "="))
        } else if rest == 2 {
            let n = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8
            bytes.append(table[Int(n >> 18 & 63)])
            bytes.append(table[Int(n >> 12 & 63)])
            bytes.append(table[Int(n >> 6 & 63)])
            bytes.append(UInt8(ascii: "="))
        }
    }

    static let base64Table: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
}
