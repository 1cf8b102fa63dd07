#if canImport(Glibc)
import Glibc
#endif

/// RFC 3339 UTC timestamps with nanoseconds, as Cerbos's entries carry (`2024-01-02T03:04:05.123456789Z`).
/// The time is read on the request's thread (`Instant.now()`, one vDSO call) and formatted by
/// the audit writer, straight into the entry's bytes.
enum AuditTimestamp {
    /// A wall-clock reading.
    struct Instant: Sendable {
        var seconds: Int
        var nanoseconds: Int

        static func now() -> Instant {
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            return Instant(seconds: Int(ts.tv_sec), nanoseconds: Int(ts.tv_nsec))
        }
    }

    static func format(seconds: Int, nanoseconds: Int) -> String {
        var bytes: [UInt8] = []
        write(Instant(seconds: seconds, nanoseconds: nanoseconds), into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the 30 characters of `instant` (without quotes).
    static func write(_ instant: Instant, into bytes: inout [UInt8]) {
        var t = time_t(instant.seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func digits(_ v: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var v = v
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
                v %= divisor
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2)
        bytes.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2)
        bytes.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2)
        bytes.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2)
        bytes.append(UInt8(ascii: "."))
        digits(instant.nanoseconds, 9)
        bytes.append(UInt8(ascii: "Z"))
    }
}
