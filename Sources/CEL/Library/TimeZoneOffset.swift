import Foundation

/// Resolves a CEL time-zone argument to a UTC offset at a given instant, as cel-go does: an
/// argument with a colon is a `[±]H:M` offset from UTC (Go's `strconv.Atoi` on each side, the
/// sign of the hours applying to the minutes); anything else is a name for Go's
/// `time.LoadLocation`: `UTC`, the empty string (also UTC), or a zone in the system's zoneinfo
/// (`America/New_York`). `Z`, `GMT+1` and other names outside the zoneinfo are unknown.
enum TimeZoneOffset {
    /// Offset in seconds east of UTC, or nil for an unknown zone.
    static func seconds(for zone: String, at t: Timestamp) -> Int64? {
        if zone == "UTC" || zone.isEmpty { return 0 }
        if let colon = zone.firstIndex(of: ":") {
            guard let hours = atoi(zone[..<colon]), let minutes = atoi(zone[zone.index(after: colon)...]) else { return nil }
            let (h, o1) = hours.multipliedReportingOverflow(by: 60)
            let (total, o2) = zone.hasPrefix("-") ? h.subtractingReportingOverflow(minutes) : h.addingReportingOverflow(minutes)
            let (offset, o3) = total.multipliedReportingOverflow(by: 60)
            return o1 || o2 || o3 ? nil : offset
        }
        guard isZoneinfoName(zone), let tz = TimeZone(identifier: zone) else { return nil }
        return Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t.seconds))))
    }

    /// Go's `strconv.Atoi`: an optional sign and at least one decimal digit, nothing else.
    private static func atoi(_ s: Substring) -> Int64? {
        var digits = s
        if let c = digits.first, c == "+" || c == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int64(s)
    }

    /// Whether `name` is a zone file of the system's zoneinfo (`$ZONEINFO`, else
    /// `/usr/share/zoneinfo`), where `time.LoadLocation` looks; Foundation also accepts names
    /// such as `GMT+1` that no such file has.
    private static func isZoneinfoName(_ name: String) -> Bool {
        guard !name.hasPrefix("/"), !name.split(separator: "/").contains(".."), !name.contains("\\") else { return false }
        let root = ProcessInfo.processInfo.environment["ZONEINFO"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/share/zoneinfo"
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
