/// Punycode (RFC 3492), the encoding of IDNA A-labels: `xn--` followed by the Punycode of the
/// U-label. Both directions, since an A-label is valid only when it re-encodes to itself.
enum Punycode {
    private static let base = 36, tmin = 1, tmax = 26, skew = 38, damp = 700
    private static let initialBias = 72, initialN = 128

    /// The code points `text` (the part after `xn--`) encodes, nil when it is not Punycode.
    /// Digits are read case-insensitively; basic code points are kept as written.
    static func decode(_ text: Substring.UTF8View) -> [Unicode.Scalar]? {
        let input = Array(text)
        var output: [Unicode.Scalar] = []
        let delimiter = input.lastIndex(of: UInt8(ascii: "-"))
        if let delimiter {
            for b in input[..<delimiter] {
                guard b < 0x80 else { return nil }
                output.append(Unicode.Scalar(b))
            }
        }
        var position = delimiter.map { $0 + 1 } ?? 0
        var n = initialN, i = 0, bias = initialBias
        while position < input.count {
            let oldI = i
            var w = 1
            var k = base
            while true {
                guard position < input.count, let digit = digitValue(input[position]) else { return nil }
                position += 1
                // Every intermediate stays far below Int.max: larger values are not code points.
                guard digit <= (0x7FFF_FFFF - i) / w else { return nil }
                i += digit * w
                let t = k <= bias ? tmin : (k >= bias + tmax ? tmax : k - bias)
                if digit < t { break }
                guard w <= 0x7FFF_FFFF / (base - t) else { return nil }
                w *= base - t
                k += base
            }
            let count = output.count + 1
            bias = adapt(i - oldI, count, first: oldI == 0)
            n += i / count
            i %= count
            guard n <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(n)) else { return nil }
            output.insert(scalar, at: i)
            i += 1
        }
        return output
    }

    /// The Punycode of `scalars`, digits in lower case; nil on overflow (not for real labels).
    static func encode(_ scalars: [Unicode.Scalar]) -> String? {
        var output: [UInt8] = []
        for c in scalars where c.value < 0x80 { output.append(UInt8(c.value)) }
        let basic = output.count
        var handled = basic
        if basic > 0 { output.append(UInt8(ascii: "-")) }
        var n = initialN, delta = 0, bias = initialBias
        while handled < scalars.count {
            var m = Int.max
            for c in scalars where Int(c.value) >= n && Int(c.value) < m { m = Int(c.value) }
            guard (m - n) <= (0x7FFF_FFFF - delta) / (handled + 1) else { return nil }
            delta += (m - n) * (handled + 1)
            n = m
            for c in scalars {
                if Int(c.value) < n { delta += 1 }
                if Int(c.value) == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tmin : (k >= bias + tmax ? tmax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, first: handled == basic)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func adapt(_ delta: Int, _ count: Int, first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / count
        var k = 0
        while delta > ((base - tmin) * tmax) / 2 {
            delta /= base - tmin
            k += base
        }
        return k + (base - tmin + 1) * delta / (delta + skew)
    }

    private static func digitValue(_ b: UInt8) -> Int? {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return Int(b - UInt8(ascii: "a"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return Int(b - UInt8(ascii: "A"))
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(b - UInt8(ascii: "0")) + 26
        default: return nil
        }
    }

    private static func digit(_ d: Int) -> UInt8 {
        d < 26 ? UInt8(ascii: "a") + UInt8(d) : UInt8(ascii: "0") + UInt8(d - 26)
    }
}
