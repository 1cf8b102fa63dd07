/// Re-indents compact JSON (the HTTP API's `?pretty`, reports): two spaces per level, one member
/// or element per line, `"key": value`, empty objects and arrays kept as `{}` and `[]`. Works on
/// the encoded bytes, so anything `JSONWriter` wrote can be indented without a second encoder.
public enum JSONIndenter {
    /// `json` (compact, valid JSON) re-indented.
    public static func indent(_ json: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(json.count * 2)
        var depth = 0
        var inString = false
        var escaped = false
        var i = 0
        func newline(_ out: inout [UInt8], _ depth: Int) {
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: max(0, depth) * 2))
        }
        while i < json.count {
            let b = json[i]
            if inString {
                out.append(b)
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                i += 1
                continue
            }
            switch b {
            case UInt8(ascii: "\""):
                inString = true
                out.append(b)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close = b == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if i + 1 < json.count, json[i + 1] == close {
                    out.append(b)
                    out.append(close)
                    i += 2
                    continue
                }
                out.append(b)
                depth += 1
                newline(&out, depth)
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                newline(&out, depth)
                out.append(b)
            case UInt8(ascii: ","):
                out.append(b)
                newline(&out, depth)
            case UInt8(ascii: ":"):
                out.append(b)
                out.append(UInt8(ascii: " "))
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                break
            default:
                out.append(b)
            }
            i += 1
        }
        return out
    }
}
