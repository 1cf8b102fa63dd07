extension StandardLibrary {
    static func rangeError(_ what: String) -> Value { .err("range error converting \(what)") }

    static let conversions: [FunctionBinding] = [
        FunctionBinding("int", [
            .unary(OverloadID.int64ToInt64, K.int) { $0 },
            .unary(OverloadID.uint64ToInt64, K.uint) { a in
                guard case let .uint(u) = a else { return .noSuchOverload() }
                return u > UInt64(Int64.max) ? rangeError("uint to int") : .int(Int64(u))
            },
            .unary(OverloadID.doubleToInt64, K.double) { a in
                guard case let .double(d) = a else { return .noSuchOverload() }
                // Both bounds exclusive, as cel-go: -2^63 itself is rejected too.
                guard d > -9223372036854775808.0, d < 9223372036854775807.0 else { return rangeError("double to int") }
                return .int(Int64(d.rounded(.towardZero)))
            },
            .unary(OverloadID.stringToInt64, K.string) { a in
                guard case let .string(s) = a, let i = Int64(s) else { return .err("type conversion error") }
                return .int(i)
            },
            .unary(OverloadID.timestampToInt64, K.timestamp) { a in
                guard case let .timestamp(t) = a else { return .noSuchOverload() }
                return .int(t.seconds)
            },
        ]),
        FunctionBinding("uint", [
            .unary(OverloadID.uint64ToUint64, K.uint) { $0 },
            .unary(OverloadID.int64ToUint64, K.int) { a in
                guard case let .int(i) = a else { return .noSuchOverload() }
                return i < 0 ? rangeError("int to uint") : .uint(UInt64(i))
            },
            .unary(OverloadID.doubleToUint64, K.double) { a in
                guard case let .double(d) = a else { return .noSuchOverload() }
                guard d >= 0, d < 18446744073709551616.0 else { return rangeError("double to uint") }
                return .uint(UInt64(d.rounded(.towardZero)))
            },
            .unary(OverloadID.stringToUint64, K.string) { a in
                guard case let .string(s) = a, let u = UInt64(s) else { return .err("type conversion error") }
                return .uint(u)
            },
        ]),
        FunctionBinding("double", [
            .unary(OverloadID.doubleToDouble, K.double) { $0 },
            .unary(OverloadID.int64ToDouble, K.int) { a in
                guard case let .int(i) = a else { return .noSuchOverload() }
                return .double(Double(i))
            },
            .unary(OverloadID.uint64ToDouble, K.uint) { a in
                guard case let .uint(u) = a else { return .noSuchOverload() }
                return .double(Double(u))
            },
            .unary(OverloadID.stringToDouble, K.string) { a in
                guard case let .string(s) = a, let d = parseGoFloat(s) else { return .err("type conversion error") }
                return .double(d)
            },
        ]),
        FunctionBinding("string", [
            .unary(OverloadID.stringToString, K.string) { $0 },
            .unary(OverloadID.int64ToString, K.int) { a in
                guard case let .int(i) = a else { return .noSuchOverload() }
                return .string(String(i))
            },
            .unary(OverloadID.uint64ToString, K.uint) { a in
                guard case let .uint(u) = a else { return .noSuchOverload() }
                return .string(String(u))
            },
            .unary(OverloadID.doubleToString, K.double) { a in
                guard case let .double(d) = a else { return .noSuchOverload() }
                return .string(GoFloat.format(d, .g))
            },
            .unary(OverloadID.bytesToString, K.bytes) { a in
                guard case let .bytes(b) = a else { return .noSuchOverload() }
                guard let s = String(validating: b, as: UTF8.self) else { return .err("invalid UTF-8 in bytes") }
                return .string(s)
            }.chargingScans(),
            .unary(OverloadID.boolToString, K.bool) { a in
                guard case let .bool(b) = a else { return .noSuchOverload() }
                return .string(b ? "true" : "false")
            },
            .unary(OverloadID.timestampToString, K.timestamp) { a in
                guard case let .timestamp(t) = a else { return .noSuchOverload() }
                guard t.isInRange else { return .err("timestamp out of range") }
                return .string(t.rfc3339)
            },
            .unary(OverloadID.durationToString, K.duration) { a in
                guard case let .duration(d) = a else { return .noSuchOverload() }
                return .string(d.secondsText)
            },
        ]),
        FunctionBinding("bytes", [
            .unary(OverloadID.bytesToBytes, K.bytes) { $0 },
            .unary(OverloadID.stringToBytes, K.string) { a in
                guard case let .string(s) = a else { return .noSuchOverload() }
                return .bytes(Array(s.utf8))
            }.chargingScans(),
        ]),
        FunctionBinding("bool", [
            .unary(OverloadID.boolToBool, K.bool) { $0 },
            .unary(OverloadID.stringToBool, K.string) { a in
                guard case let .string(s) = a else { return .noSuchOverload() }
                switch s {
                case "1", "t", "T", "true", "TRUE", "True": return .bool(true)
                case "0", "f", "F", "false", "FALSE", "False": return .bool(false)
                default: return .err("type conversion error from 'string' to 'bool'")
                }
            },
        ]),
        FunctionBinding("dyn", [.unary(OverloadID.toDyn, K.any) { $0 }]),
        FunctionBinding("type", [.unary(OverloadID.typeOf, K.any) { .type($0.celType) }]),
        FunctionBinding("timestamp", [
            .unary(OverloadID.timestampToTimestamp, K.timestamp) { $0 },
            .unary(OverloadID.stringToTimestamp, K.string) { a in
                guard case let .string(s) = a else { return .noSuchOverload() }
                guard let t = Timestamp(rfc3339: s) else { return .err("timestamp parse error: \(s)") }
                return t.isInRange ? .timestamp(t) : .err("timestamp out of range")
            },
            .unary(OverloadID.int64ToTimestamp, K.int) { a in
                guard case let .int(i) = a else { return .noSuchOverload() }
                let t = Timestamp(seconds: i)
                return t.isInRange ? .timestamp(t) : .err("timestamp out of range")
            },
        ]),
        FunctionBinding("duration", [
            .unary(OverloadID.durationToDuration, K.duration) { $0 },
            .unary(OverloadID.stringToDuration, K.string) { a in
                guard case let .string(s) = a else { return .noSuchOverload() }
                guard let d = CELDuration(goSyntax: s) else { return .err("invalid duration: \(s)") }
                return .duration(d)
            },
        ]),
    ]

    /// Parses a double as Go's `strconv.ParseFloat` does (decimal, exponent, `Inf`, `NaN`).
    static func parseGoFloat(_ s: String) -> Double? {
        switch s.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: break
        }
        guard !s.isEmpty, s.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 101 || $0 == 69 || $0 == 43 || $0 == 45 || $0 == 95 }) else {
            return nil
        }
        return Double(s)
    }
}
