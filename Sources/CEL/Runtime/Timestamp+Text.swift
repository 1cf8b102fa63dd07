/// RFC 3339 text for timestamps, as cel-go reads (`time.RFC3339`) and writes (`RFC3339Nano`) it.
extension Timestamp {
    /// Parses `2009-02-13T23:31:30.123Z` or with a `±hh:mm` offset. Nil on bad syntax.
    public init?(rfc3339 text: String) {
        let b = Array(text.utf8)
        var i = 0
        func num(_ n: Int) -> Int64? {
            guard i + n <= b.count else { return nil }
            var v: Int64 = 0
            for k in i..<(i + n) {
                guard b[k] >= 48 && b[k] <= 57 else { return nil }
                v = v * 10 + Int64(b[k] - 48)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8...) -> Bool {
            guard i < b.count, c.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let year = num(4), expect(45), let month = num(2), expect(45), let day = num(2),
              expect(84, 116), let hour = num(2), expect(58), let minute = num(2), expect(58),
              let second = num(2) else { return nil }
        var nanos: Int64 = 0
        if i < b.count && b[i] == 46 {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48 && b[i] <= 57 {
                if digits < 9 { nanos = nanos * 10 + Int64(b[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            if digits < 9 { for _ in digits..<9 { nanos *= 10 } }
        }
        var offset: Int64 = 0
        guard i < b.count else { return nil }
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45 {
            let sign: Int64 = b[i] == 45 ? -1 : 1
            i += 1
            guard let oh = num(2), expect(58), let om = num(2), oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count, (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60 else { return nil }
        let days = Timestamp.days(year: year, month: month, day: day)
        self.init(seconds: days * 86400 + hour * 3600 + minute * 60 + second - offset, nanos: Int32(nanos))
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// RFC 3339 in UTC with the fraction trimmed of trailing zeros (`2009-02-13T23:31:30.5Z`).
    public var rfc3339: String { rfc3339(.trimmed) }

    /// RFC 3339 in UTC with the fractional seconds written as `digits` says.
    public func rfc3339(_ digits: FractionDigits) -> String {
        let p = parts(offset: 0)
        var out = "\(CELDuration.pad(p.year, 4))-\(CELDuration.pad(p.month, 2))-\(CELDuration.pad(p.day, 2))T"
        out += "\(CELDuration.pad(p.hour, 2)):\(CELDuration.pad(p.minute, 2)):\(CELDuration.pad(p.second, 2))"
        return out + CELDuration.fraction(Int64(nanos), digits) + "Z"
    }
}

/// How many fractional-second digits timestamp and duration text carries.
public enum FractionDigits: Sendable {
    /// As cel-go (`RFC3339Nano`, `string(duration)`): trailing zeros trimmed, none for whole seconds.
    case trimmed
    /// As protojson: 0, 3, 6 or 9 digits, the fewest that hold the value.
    case groupsOfThree
}

extension CELDuration {
    /// `.` and the fraction of `nanos` (0 ≤ nanos < 10⁹), or nothing for whole seconds.
    static func fraction(_ nanos: Int64, _ digits: FractionDigits) -> String {
        guard nanos != 0 else { return "" }
        switch digits {
        case .trimmed:
            var s = pad(nanos, 9)
            while s.hasSuffix("0") { s.removeLast() }
            return "." + s
        case .groupsOfThree:
            if nanos % 1_000_000 == 0 { return "." + pad(nanos / 1_000_000, 3) }
            if nanos % 1000 == 0 { return "." + pad(nanos / 1000, 6) }
            return "." + pad(nanos, 9)
        }
    }

    /// `v` in decimal, zero-padded on the left to `width` digits.
    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Parses Go duration syntax (`1h2m3.5s`, `-1.5h`, `100ms`, `0`), as `duration()` does.
    /// Nil on bad syntax or when out of range.
    public init?(goSyntax text: String) {
        let b = Array(text.unicodeScalars)
        func digit(_ c: Unicode.Scalar) -> Int64? { c.value >= 48 && c.value <= 57 ? Int64(c.value - 48) : nil }
        var i = 0
        var negative = false
        if i < b.count && (b[i] == "-" || b[i] == "+") { negative = b[i] == "-"; i += 1 }
        if i < b.count && b[i] == "0" && i + 1 == b.count {
            self.init(seconds: 0)
            return
        }
        guard i < b.count else { return nil }
        var seconds: Int64 = 0
        var nanos: Int64 = 0
        while i < b.count {
            var whole: Int64 = 0
            var sawDigits = false
            while i < b.count, let d = digit(b[i]) {
                let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(d)
                if o1 || o2 { return nil }
                whole = a; sawDigits = true; i += 1
            }
            var frac: Int64 = 0
            var scale: Int64 = 1
            if i < b.count && b[i] == "." {
                i += 1
                while i < b.count, let d = digit(b[i]) {
                    if scale < 1_000_000_000_000_000_000 / 10 { frac = frac * 10 + d; scale *= 10 }
                    sawDigits = true; i += 1
                }
            }
            guard sawDigits else { return nil }
            var unit = ""
            while i < b.count, b[i] != ".", digit(b[i]) == nil {
                unit.unicodeScalars.append(b[i]); i += 1
            }
            let mult: Int64
            switch unit {
            case "ns": mult = 1
            case "us", "µs", "μs": mult = 1_000
            case "ms": mult = 1_000_000
            case "s": mult = 1_000_000_000
            case "m": mult = 60_000_000_000
            case "h": mult = 3_600_000_000_000
            default: return nil
            }
            let multSec = mult / 1_000_000_000, multNano = mult % 1_000_000_000
            let (ws, o1) = whole.multipliedReportingOverflow(by: multSec)
            let (wn, o2) = whole.multipliedReportingOverflow(by: multNano)
            if o1 || o2 { return nil }
            let product = frac.multipliedFullWidth(by: mult)
            let fracNanos = scale.dividingFullWidth((product.high, product.low)).quotient
            // Every sum is overflow-checked: hostile input must give an error, never a trap.
            nanos += wn % 1_000_000_000 + fracNanos % 1_000_000_000
            let carry = wn / 1_000_000_000 + fracNanos / 1_000_000_000 + nanos / 1_000_000_000
            nanos %= 1_000_000_000
            let (s2, o3) = seconds.addingReportingOverflow(ws)
            let (s3, o4) = s2.addingReportingOverflow(carry)
            if o3 || o4 { return nil }
            seconds = s3
        }
        if negative { seconds = -seconds; nanos = -nanos }
        guard let d = CELDuration.normalized(seconds: seconds, nanos: nanos) else { return nil }
        self = d
    }

    /// Seconds with a trimmed fraction and an `s` suffix (`1.5s`), as `string(duration)` gives.
    public var secondsText: String { secondsText(.trimmed) }

    /// Seconds with the fraction written as `digits` says and an `s` suffix.
    public func secondsText(_ digits: FractionDigits) -> String {
        let sign = seconds < 0 || nanos < 0 ? "-" : ""
        return sign + String(seconds.magnitude) + CELDuration.fraction(Int64(nanos.magnitude), digits) + "s"
    }
}
