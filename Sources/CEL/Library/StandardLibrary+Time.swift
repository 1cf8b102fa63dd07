extension StandardLibrary {
    /// One `get*` accessor on timestamps, with and without a time-zone argument.
    static func timestampAccessor(_ name: String, _ id: String,
                                  _ pick: @escaping @Sendable (Timestamp.Parts) -> Int64) -> [Overload] {
        [
            .unary(id, K.timestamp, isMember: true) { a in
                guard case let .timestamp(t) = a else { return .noSuchOverload(name) }
                guard t.isInRange else { return .err("timestamp out of range") }
                return .int(pick(t.parts(offset: 0)))
            },
            .binary(OverloadID.withTimeZone(id), K.timestamp, K.string, isMember: true) { a, b in
                guard case let .timestamp(t) = a, case let .string(z) = b else { return .noSuchOverload(name) }
                guard t.isInRange else { return .err("timestamp out of range") }
                guard let off = TimeZoneOffset.seconds(for: z, at: t) else { return .err("unknown time zone: \(z)") }
                return .int(pick(t.parts(offset: off)))
            },
        ]
    }

    /// A duration accessor: the whole duration in the unit (cel-go's `getMilliseconds` too).
    static func durationAccessor(_ name: String, _ id: String, _ nanosPerUnit: Int64) -> Overload {
        .unary(id, K.duration, isMember: true) { a in
            guard case let .duration(d) = a else { return .noSuchOverload(name) }
            if nanosPerUnit >= 1_000_000_000 { return .int(d.seconds / (nanosPerUnit / 1_000_000_000)) }
            let perSecond = 1_000_000_000 / nanosPerUnit
            let (whole, o1) = d.seconds.multipliedReportingOverflow(by: perSecond)
            let (total, o2) = whole.addingReportingOverflow(Int64(d.nanos) / nanosPerUnit)
            return o1 || o2 ? .err("integer overflow") : .int(total)
        }
    }

    static let time: [FunctionBinding] = [
        FunctionBinding("getFullYear", timestampAccessor("getFullYear", OverloadID.timestampToYear) { $0.year }),
        FunctionBinding("getMonth", timestampAccessor("getMonth", OverloadID.timestampToMonth) { $0.month - 1 }),
        FunctionBinding("getDayOfYear", timestampAccessor("getDayOfYear", OverloadID.timestampToDayOfYear) { $0.dayOfYear }),
        FunctionBinding("getDayOfMonth",
                        timestampAccessor("getDayOfMonth", OverloadID.timestampToDayOfMonthZeroBased) { $0.day - 1 }),
        FunctionBinding("getDate", timestampAccessor("getDate", OverloadID.timestampToDayOfMonthOneBased) { $0.day }),
        FunctionBinding("getDayOfWeek", timestampAccessor("getDayOfWeek", OverloadID.timestampToDayOfWeek) { $0.dayOfWeek }),
        FunctionBinding("getHours", timestampAccessor("getHours", OverloadID.timestampToHours) { $0.hour }
                        + [durationAccessor("getHours", OverloadID.durationToHours, 3_600_000_000_000)]),
        FunctionBinding("getMinutes", timestampAccessor("getMinutes", OverloadID.timestampToMinutes) { $0.minute }
                        + [durationAccessor("getMinutes", OverloadID.durationToMinutes, 60_000_000_000)]),
        FunctionBinding("getSeconds", timestampAccessor("getSeconds", OverloadID.timestampToSeconds) { $0.second }
                        + [durationAccessor("getSeconds", OverloadID.durationToSeconds, 1_000_000_000)]),
        FunctionBinding("getMilliseconds",
                        timestampAccessor("getMilliseconds", OverloadID.timestampToMilliseconds) { $0.nanos / 1_000_000 }
                        + [durationAccessor("getMilliseconds", OverloadID.durationToMilliseconds, 1_000_000)]),
    ]
}
