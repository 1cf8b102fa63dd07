/// Proleptic Gregorian calendar arithmetic on Unix seconds, used by RFC 3339 parsing and
/// formatting and by the `get*` accessors, so that no Foundation calendar is on the hot path.
extension Timestamp {
    /// Seconds of 0001-01-01T00:00:00Z, CEL's earliest timestamp.
    public static let minSeconds: Int64 = -62_135_596_800
    /// Seconds of 9999-12-31T23:59:59Z, CEL's latest timestamp (nanos up to 999 999 999).
    public static let maxSeconds: Int64 = 253_402_300_799

    /// Whether the timestamp is within years 1 to 9999.
    public var isInRange: Bool { seconds >= Timestamp.minSeconds && seconds <= Timestamp.maxSeconds }

    /// Days since 1970-01-01 of a civil date (year, month 1-12, day 1-31).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date (year, month 1-12, day 1-31) of a day count since 1970-01-01.
    static func civil(days z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Broken-down local time at a UTC offset in seconds.
    struct Parts {
        var year, month, day, hour, minute, second: Int64
        var dayOfYear: Int64  // zero-based
        var dayOfWeek: Int64  // zero is Sunday
        var nanos: Int64
    }

    func parts(offset: Int64) -> Parts {
        let local = seconds &+ offset  // wrapping: host-made timestamps far out of range must not trap
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let secOfDay = local - days * 86400
        let (y, m, d) = Timestamp.civil(days: days)
        let doy = days - Timestamp.days(year: y, month: 1, day: 1)
        let dow = ((days % 7) + 7 + 4) % 7  // 1970-01-01 was a Thursday
        return Parts(year: y, month: m, day: d, hour: secOfDay / 3600, minute: (secOfDay % 3600) / 60,
                     second: secOfDay % 60, dayOfYear: doy, dayOfWeek: dow, nanos: Int64(nanos))
    }

    /// Adds a duration; nil when the result leaves CEL's timestamp range.
    public func adding(_ d: CELDuration) -> Timestamp? {
        var s = seconds.addingReportingOverflow(d.seconds)
        if s.overflow { return nil }
        var n = Int64(nanos) + Int64(d.nanos)
        if n >= 1_000_000_000 { n -= 1_000_000_000; s = s.partialValue.addingReportingOverflow(1) }
        else if n < 0 { n += 1_000_000_000; s = s.partialValue.addingReportingOverflow(-1) }
        if s.overflow { return nil }
        let t = Timestamp(seconds: s.partialValue, nanos: Int32(n))
        return t.isInRange ? t : nil
    }

    /// `self - other` as a duration; nil when out of the duration range.
    public func difference(_ other: Timestamp) -> CELDuration? {
        let (s, o) = seconds.subtractingReportingOverflow(other.seconds)
        if o { return nil }
        return CELDuration.normalized(seconds: s, nanos: Int64(nanos) - Int64(other.nanos))
    }
}

extension CELDuration {
    /// The largest whole seconds of a duration. cel-go (and cel-cpp) keep durations in int64
    /// nanoseconds (Go's `time.Duration`, about ±292 years), narrower than protobuf's ±10 000
    /// years; the conformance suite and Cerbos follow that, so this does too.
    public static let maxSeconds: Int64 = Int64.max / 1_000_000_000

    /// A duration with seconds and nanos brought to the same sign; nil when out of range.
    public static func normalized(seconds: Int64, nanos: Int64) -> CELDuration? {
        guard seconds > Int64.min / 2, seconds < Int64.max / 2 else { return nil }
        var s = seconds + nanos / 1_000_000_000
        var n = nanos % 1_000_000_000
        if s > 0 && n < 0 { s -= 1; n += 1_000_000_000 } else if s < 0 && n > 0 { s += 1; n -= 1_000_000_000 }
        guard s >= -maxSeconds && s <= maxSeconds else { return nil }
        let d = CELDuration(seconds: s, nanos: Int32(n))
        return d.totalNanos == nil ? nil : d
    }

    /// Total nanoseconds, nil if it does not fit in Int64.
    public var totalNanos: Int64? {
        let (m, o1) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if o1 { return nil }
        let (r, o2) = m.addingReportingOverflow(Int64(nanos))
        return o2 ? nil : r
    }

    /// `self + other`, nil when out of range.
    public func adding(_ other: CELDuration) -> CELDuration? {
        let (s, o) = seconds.addingReportingOverflow(other.seconds)
        if o { return nil }
        return CELDuration.normalized(seconds: s, nanos: Int64(nanos) + Int64(other.nanos))
    }

    /// `-self`.
    /// Wrapping, so that a host-made `Int64.min` duration cannot trap; range checks reject it later.
    public var negated: CELDuration { CELDuration(seconds: 0 &- seconds, nanos: 0 &- nanos) }
}
