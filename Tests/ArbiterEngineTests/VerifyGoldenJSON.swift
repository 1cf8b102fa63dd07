import CEL

/// A small JSON reader for the verify goldens. The YAML reader's alias-expansion guard counts
/// nested collections more than once, so deeply nested goldens trip it; JSON needs no aliases.
struct VerifyGoldenJSON {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let bytes: [UInt8]
    private var index = 0

    static func parse(_ bytes: [UInt8]) throws -> Value {
        var reader = VerifyGoldenJSON(bytes: bytes)
        let value = try reader.value()
        reader.skipSpace()
        guard reader.index == bytes.count else { throw Failure(description: "trailing data at byte \(reader.index)") }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else {
            throw Failure(description: "expected '\(Character(UnicodeScalar(byte)))' at byte \(index)")
        }
        index += 1
    }

    private mutating func value() throws -> Value {
        skipSpace()
        guard index < bytes.count else { throw Failure(description: "unexpected end of JSON") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var entries: [(String, Value)] = []
            skipSpace()
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .map(MapValue(stringKeyed: entries)) }
            while true {
                skipSpace()
                guard case let .string(key) = try value() else { throw Failure(description: "object key at byte \(index)") }
                try expect(UInt8(ascii: ":"))
                entries.append((key, try value()))
                skipSpace()
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                try expect(UInt8(ascii: "}"))
                return .map(MapValue(stringKeyed: entries))
            }
        case UInt8(ascii: "["):
            index += 1
            var items: [Value] = []
            skipSpace()
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .list(items) }
            while true {
                items.append(try value())
                skipSpace()
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                try expect(UInt8(ascii: "]"))
                return .list(items)
            }
        case UInt8(ascii: "\""):
            index += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() { scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars); raw = [] }
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count {
                    flush()
                    let escape = bytes[index + 1]
                    index += 2
                    switch escape {
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "u"):
                        let hex = String(decoding: bytes[index..<min(index + 4, bytes.count)], as: UTF8.self)
                        index += 4
                        scalars.append(UnicodeScalar(UInt32(hex, radix: 16) ?? 0xFFFD) ?? "\u{FFFD}")
                    default: scalars.append(UnicodeScalar(escape))
                    }
                } else {
                    raw.append(bytes[index])
                    index += 1
                }
            }
            flush()
            index += 1
            return .string(String(scalars))
        default:
            let start = index
            while index < bytes.count, !",]} \n\r\t".utf8.contains(bytes[index]) { index += 1 }
            let word = String(decoding: bytes[start..<index], as: UTF8.self)
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            default:
                guard let d = Double(word) else { throw Failure(description: "bad literal \(word) at byte \(start)") }
                return .double(d)
            }
        }
    }
}
