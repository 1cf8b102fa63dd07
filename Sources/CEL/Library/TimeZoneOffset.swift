import Foundation

/// Resolves a CEL time-zone argument to a UTC offset at a given instant: `UTC`, fixed offsets
/// (`+05:30`, `-08:00`, `02:00`), or IANA names through the system zoneinfo.
enum TimeZoneOffset {
    /// Offset in seconds east of UTC, or nil for an unknown zone.
    static func seconds(for zone: String, at t: Timestamp) -> Int64? {
        if zone == "UTC" || zone == "Z" { return 0 }
        let u = Array(zone.utf8)
        var i = 0
        var sign: Int64 = 1
        if let c = u.first, c == 43 || c == 45 { sign = c == 45 ? -1 : 1; i = 1 }
        if u.count - i == 5, u[i + 2] == 58, let h = twoDigits(u, i), let m = twoDigits(u, i + 3), m < 60 {
            return sign * (h * 3600 + m * 60)
        }
        guard let tz = TimeZone(identifier: zone) else { return nil }
        return Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t.seconds))))
    }

    private static func twoDigits(_ u: [UInt8], _ i: Int) -> Int64? {
        guard u[i] >= 48, u[i] <= 57, u[i + 1] >= 48, u[i + 1] <= 57 else { return nil }
        return Int64(u[i] - 48) * 10 + Int64(u[i + 1] - 48)
    }
}
