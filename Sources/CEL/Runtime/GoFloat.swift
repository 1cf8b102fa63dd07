/// Go's ways of printing a float64, from one decomposition into the shortest digits that read
/// back as the same double. The one copy in the package: CEL's `string(double)`, the JSON writer
/// (protojson, `json.encode`) and the schema validator's messages (`%v`) all print through it.
package enum GoFloat {
    /// Which Go formatting a caller mirrors; they differ only in when the exponent form is used
    /// and how short its exponent may be.
    package enum Style: Sendable {
        /// `strconv.FormatFloat(d, 'g', -1, 64)`, cel-go's `string(double)`: exponent form when
        /// the decimal exponent is below -4 or at least 6; the exponent has two digits or more.
        case g
        /// `fmt`'s `%v`: as `g` but plain up to an exponent of 20.
        case v
        /// `encoding/json` and protojson: plain for 1e-6 ≤ |d| < 1e21, otherwise the exponent
        /// form with a negative one-digit exponent written without its zero (`1e-7`, `1e+21`).
        case json
        /// `strconv.FormatFloat(d, 'f', -1, 64)`: never the exponent form (cel-go's `%s` of a
        /// double).
        case f
    }

    /// `d` printed in `style`. NaN is `NaN` and the infinities `+Inf` / `-Inf`, as `strconv`
    /// prints them; JSON callers write their own tokens for those before calling.
    package static func format(_ d: Double, _ style: Style) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        if d == 0 { return d.sign == .minus ? "-0" : "0" }
        let (digits, point) = shortestDigits(d.magnitude)
        // The decimal exponent of the leading digit: d = 0.digits × 10^point = D.igits × 10^x.
        let x = point - 1
        let exponentForm: Bool
        switch style {
        case .g: exponentForm = x < -4 || x >= 6
        case .v: exponentForm = x < -4 || x >= 21
        case .json: exponentForm = x < -6 || x >= 21
        case .f: exponentForm = false
        }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + 8)
        if d < 0 { out.append(UInt8(ascii: "-")) }
        if exponentForm {
            out.append(digits[0])
            if digits.count > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[1...])
            }
            out.append(UInt8(ascii: "e"))
            out.append(x < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let exponent = Array(String(x.magnitude).utf8)
            let minimumWidth = style == .json && x < 0 ? 1 : 2
            if exponent.count < minimumWidth { out.append(UInt8(ascii: "0")) }
            out.append(contentsOf: exponent)
        } else if point <= 0 {
            out.append(contentsOf: "0.".utf8)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -point))
            out.append(contentsOf: digits)
        } else if point >= digits.count {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: point - digits.count))
        } else {
            out.append(contentsOf: digits[..<point])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[point...])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The shortest round-trip digits of a finite positive `d` (ASCII, no leading or trailing
    /// zeros) and the position of the decimal point: d = 0.digits × 10^point. Swift's
    /// `description` already finds the shortest digits; only its layout differs from Go's.
    static func shortestDigits(_ d: Double) -> (digits: [UInt8], point: Int) {
        let text = d.description.utf8
        var digits: [UInt8] = []
        digits.reserveCapacity(17)
        var pointIndex: Int?
        var exponent = 0
        var index = text.startIndex
        while index != text.endIndex {
            let c = text[index]
            if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                var rest = Substring(text[text.index(after: index)...])
                if rest.first == "+" { rest = rest.dropFirst() }
                exponent = Int(rest) ?? 0
                break
            }
            if c == UInt8(ascii: ".") { pointIndex = digits.count } else { digits.append(c) }
            index = text.index(after: index)
        }
        var point = (pointIndex ?? digits.count) + exponent
        var leading = 0
        while leading < digits.count - 1 && digits[leading] == UInt8(ascii: "0") { leading += 1 }
        point -= leading
        var end = digits.count
        while end > leading + 1 && digits[end - 1] == UInt8(ascii: "0") { end -= 1 }
        return (Array(digits[leading..<end]), point)
    }
}
