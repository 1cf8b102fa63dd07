import CEL

/// Converts CEL results to the `google.protobuf.Value` shapes Cerbos puts in outputs (spec §2.9).
enum OutputValue {
    /// Maps become objects with string keys, numbers doubles, timestamps RFC 3339 strings and
    /// durations protojson strings (`"3600s"`).
    static func jsonCompatible(_ value: Value) -> Value {
        switch value {
        case .null, .bool, .double, .string: return value
        case let .int(i): return .double(Double(i))
        case let .uint(u): return .double(Double(u))
        case let .bytes(b): return .string(base64(b))
        case let .list(items): return .list(items.map(jsonCompatible))
        case let .map(m):
            var out = MapValue()
            for (k, v) in m.storage { out.storage[.string(k.jsonText)] = jsonCompatible(v) }
            return .map(out)
        case let .timestamp(t): return .string(rfc3339(t))
        case let .duration(d): return .string(durationString(d))
        case let .type(t): return .string(t.name)
        case let .optional(inner): return inner.map(jsonCompatible) ?? .null
        case let .error(e): return .string(e.message)
        case .unknown: return .null
        case let .object(o):
            if let p = o as? PrincipalObject {
                let r = p.context
                return jsonCompatible(.map(MapValue(stringKeyed: [("id", r.principalID), ("roles", r.principalRoles),
                                                                  ("attr", r.principalAttr), ("policyVersion", r.principalVersion),
                                                                  ("scope", r.principalScope)])))
            }
            if let p = o as? ResourceObject {
                let r = p.context
                return jsonCompatible(.map(MapValue(stringKeyed: [("kind", r.resourceKind), ("id", r.resourceID),
                                                                  ("attr", r.resourceAttr), ("policyVersion", r.resourceVersion),
                                                                  ("scope", r.resourceScope)])))
            }
            return .string(String(describing: o))
        }
    }

    /// `2006-01-02T15:04:05[.fffffffff]Z`, fractional digits trimmed in groups of three as protojson does.
    static func rfc3339(_ t: Timestamp) -> String {
        let days = t.seconds >= 0 ? t.seconds / 86400 : (t.seconds - 86399) / 86400
        let secOfDay = t.seconds - days * 86400
        // Civil-from-days (proleptic Gregorian).
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        var y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        if m <= 2 { y += 1 }
        var s = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T"
        s += pad(secOfDay / 3600, 2) + ":" + pad(secOfDay % 3600 / 60, 2) + ":" + pad(secOfDay % 60, 2)
        s += fraction(Int64(t.nanos))
        return s + "Z"
    }

    /// protojson Duration: seconds with optional fraction and an `s` suffix.
    static func durationString(_ d: CELDuration) -> String {
        let negative = d.seconds < 0 || d.nanos < 0
        let secs = d.seconds.magnitude
        let nanos = Int64(d.nanos.magnitude)
        return (negative ? "-" : "") + String(secs) + fraction(nanos) + "s"
    }

    private static func fraction(_ nanos: Int64) -> String {
        guard nanos > 0 else { return "" }
        if nanos % 1_000_000 == 0 { return "." + pad(nanos / 1_000_000, 3) }
        if nanos % 1000 == 0 { return "." + pad(nanos / 1000, 6) }
        return "." + pad(nanos, 9)
    }

    private static func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i], b1 = i + 1 < bytes.count ? bytes[i + 1] : 0, b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(table[Int(b0 >> 2)])
            out.append(table[Int((b0 & 3) << 4 | b1 >> 4)])
            out.append(i + 1 < bytes.count ? table[Int((b1 & 15) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? table[Int(b2 & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
