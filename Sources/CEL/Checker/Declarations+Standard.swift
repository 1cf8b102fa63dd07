extension Declarations {
    /// The cel-spec standard library with cel-go's overload ids, plus the optional-types library.
    ///
    /// `crossTypeNumericComparisons` adds `<`, `<=`, `>`, `>=` across int, uint and double
    /// (cel-go's `CrossTypeNumericComparisons`; on by default); `optionalTypes` adds
    /// `optional.*`, `_?._`, `_[?_]` and friends (cel-go's `OptionalTypes`).
    public static func standard(crossTypeNumericComparisons: Bool = true, optionalTypes: Bool = true) -> Declarations {
        switch (crossTypeNumericComparisons, optionalTypes) {
        case (true, true): return cachedStandard
        default: return makeStandard(crossTypeNumericComparisons: crossTypeNumericComparisons, optionalTypes: optionalTypes)
        }
    }

    // Built once: every policy condition starts from these declarations.
    private static let cachedStandard = makeStandard(crossTypeNumericComparisons: true, optionalTypes: true)

    private static func makeStandard(crossTypeNumericComparisons: Bool, optionalTypes: Bool) -> Declarations {
        var d = Declarations()
        for v in standardTypeIdentifiers { d.add(v) }
        d.add(standardFunctions(crossTypeNumericComparisons: crossTypeNumericComparisons))
        if optionalTypes {
            d.add(optionalLibrary)
            d.add(VariableDecl(CheckedType.optionalTypeName, .type(.optional(.typeParam("V")))))
        }
        return d
    }

    /// Type names usable as values: `int` has type `type(int)`, `list` has type `type(list(A))` ...
    static var standardTypeIdentifiers: [VariableDecl] {
        let a = CheckedType.typeParam("A"), b = CheckedType.typeParam("B")
        return [
            VariableDecl("bool", .type(.bool)), VariableDecl("bytes", .type(.bytes)),
            VariableDecl("double", .type(.double)), VariableDecl("int", .type(.int)),
            VariableDecl("uint", .type(.uint)), VariableDecl("string", .type(.string)),
            VariableDecl("null_type", .type(.null)), VariableDecl("type", .type(.type(nil))),
            VariableDecl("list", .type(.list(a))), VariableDecl("map", .type(.map(a, b))),
            VariableDecl("google.protobuf.Timestamp", .type(.timestamp)),
            VariableDecl("google.protobuf.Duration", .type(.duration)),
        ]
    }

    static func standardFunctions(crossTypeNumericComparisons: Bool) -> [FunctionDecl] {
        let a = CheckedType.typeParam("A"), b = CheckedType.typeParam("B")
        let listA = CheckedType.list(a), mapAB = CheckedType.map(a, b)
        typealias O = OverloadDecl
        var fns: [FunctionDecl] = [
            FunctionDecl("_?_:_", O("conditional", [.bool, a, a], a)),
            FunctionDecl("_&&_", O("logical_and", [.bool, .bool], .bool)),
            FunctionDecl("_||_", O("logical_or", [.bool, .bool], .bool)),
            FunctionDecl("!_", O("logical_not", [.bool], .bool)),
            FunctionDecl("@not_strictly_false", O("not_strictly_false", [.bool], .bool)),
            FunctionDecl("_==_", O("equals", [a, a], .bool)),
            FunctionDecl("_!=_", O("not_equals", [a, a], .bool)),
            FunctionDecl("_+_",
                O("add_bytes", [.bytes, .bytes], .bytes), O("add_double", [.double, .double], .double),
                O("add_duration_duration", [.duration, .duration], .duration),
                O("add_duration_timestamp", [.duration, .timestamp], .timestamp),
                O("add_timestamp_duration", [.timestamp, .duration], .timestamp),
                O("add_int64", [.int, .int], .int), O("add_list", [listA, listA], listA),
                O("add_string", [.string, .string], .string), O("add_uint64", [.uint, .uint], .uint)),
            FunctionDecl("_/_",
                O("divide_double", [.double, .double], .double), O("divide_int64", [.int, .int], .int),
                O("divide_uint64", [.uint, .uint], .uint)),
            FunctionDecl("_%_", O("modulo_int64", [.int, .int], .int), O("modulo_uint64", [.uint, .uint], .uint)),
            FunctionDecl("_*_",
                O("multiply_double", [.double, .double], .double), O("multiply_int64", [.int, .int], .int),
                O("multiply_uint64", [.uint, .uint], .uint)),
            FunctionDecl("-_", O("negate_double", [.double], .double), O("negate_int64", [.int], .int)),
            FunctionDecl("_-_",
                O("subtract_double", [.double, .double], .double),
                O("subtract_duration_duration", [.duration, .duration], .duration),
                O("subtract_int64", [.int, .int], .int),
                O("subtract_timestamp_duration", [.timestamp, .duration], .timestamp),
                O("subtract_timestamp_timestamp", [.timestamp, .timestamp], .duration),
                O("subtract_uint64", [.uint, .uint], .uint)),
            FunctionDecl("_[_]", O("index_list", [listA, .int], a), O("index_map", [mapAB, a], b)),
            FunctionDecl("@in", O("in_list", [a, listA], .bool), O("in_map", [a, mapAB], .bool)),
            FunctionDecl("size",
                O("size_bytes", [.bytes], .int), .member("bytes_size", [.bytes], .int),
                O("size_list", [listA], .int), .member("list_size", [listA], .int),
                O("size_map", [mapAB], .int), .member("map_size", [mapAB], .int),
                O("size_string", [.string], .int), .member("string_size", [.string], .int)),
            FunctionDecl("type", O("type", [a], .type(a))),
            FunctionDecl("bool", O("bool_to_bool", [.bool], .bool), O("string_to_bool", [.string], .bool)),
            FunctionDecl("bytes", O("bytes_to_bytes", [.bytes], .bytes), O("string_to_bytes", [.string], .bytes)),
            FunctionDecl("double",
                O("double_to_double", [.double], .double), O("int64_to_double", [.int], .double),
                O("string_to_double", [.string], .double), O("uint64_to_double", [.uint], .double)),
            FunctionDecl("duration",
                O("duration_to_duration", [.duration], .duration), O("int64_to_duration", [.int], .duration),
                O("string_to_duration", [.string], .duration)),
            FunctionDecl("dyn", O("to_dyn", [a], .dyn)),
            FunctionDecl("int",
                O("int64_to_int64", [.int], .int), O("double_to_int64", [.double], .int),
                O("duration_to_int64", [.duration], .int), O("string_to_int64", [.string], .int),
                O("timestamp_to_int64", [.timestamp], .int), O("uint64_to_int64", [.uint], .int)),
            FunctionDecl("string",
                O("string_to_string", [.string], .string), O("bool_to_string", [.bool], .string),
                O("bytes_to_string", [.bytes], .string), O("double_to_string", [.double], .string),
                O("duration_to_string", [.duration], .string), O("int64_to_string", [.int], .string),
                O("timestamp_to_string", [.timestamp], .string), O("uint64_to_string", [.uint], .string)),
            FunctionDecl("timestamp",
                O("timestamp_to_timestamp", [.timestamp], .timestamp), O("int64_to_timestamp", [.int], .timestamp),
                O("string_to_timestamp", [.string], .timestamp)),
            FunctionDecl("uint",
                O("uint64_to_uint64", [.uint], .uint), O("double_to_uint64", [.double], .uint),
                O("int64_to_uint64", [.int], .uint), O("string_to_uint64", [.string], .uint)),
            FunctionDecl("contains", .member("contains_string", [.string, .string], .bool)),
            FunctionDecl("endsWith", .member("ends_with_string", [.string, .string], .bool)),
            FunctionDecl("startsWith", .member("starts_with_string", [.string, .string], .bool)),
            FunctionDecl("matches",
                O("matches", [.string, .string], .bool), .member("matches_string", [.string, .string], .bool)),
        ]
        fns += timeAccessors
        fns += comparisons(crossType: crossTypeNumericComparisons)
        return fns
    }

    private static var timeAccessors: [FunctionDecl] {
        // (function, overload id stem, with-tz id, duration overload id)
        let table: [(String, String, String, String?)] = [
            ("getFullYear", "timestamp_to_year", "timestamp_to_year_with_tz", nil),
            ("getMonth", "timestamp_to_month", "timestamp_to_month_with_tz", nil),
            ("getDayOfYear", "timestamp_to_day_of_year", "timestamp_to_day_of_year_with_tz", nil),
            ("getDayOfMonth", "timestamp_to_day_of_month", "timestamp_to_day_of_month_with_tz", nil),
            ("getDate", "timestamp_to_day_of_month_1_based", "timestamp_to_day_of_month_1_based_with_tz", nil),
            ("getDayOfWeek", "timestamp_to_day_of_week", "timestamp_to_day_of_week_with_tz", nil),
            ("getHours", "timestamp_to_hours", "timestamp_to_hours_with_tz", "duration_to_hours"),
            ("getMinutes", "timestamp_to_minutes", "timestamp_to_minutes_with_tz", "duration_to_minutes"),
            ("getSeconds", "timestamp_to_seconds", "timestamp_to_seconds_tz", "duration_to_seconds"),
            ("getMilliseconds", "timestamp_to_milliseconds", "timestamp_to_milliseconds_with_tz",
             "duration_to_milliseconds"),
        ]
        return table.map { name, plain, withTz, onDuration in
            var overloads: [OverloadDecl] = [
                .member(plain, [.timestamp], .int), .member(withTz, [.timestamp, .string], .int),
            ]
            if let onDuration { overloads.append(.member(onDuration, [.duration], .int)) }
            return FunctionDecl(name, overloads: overloads)
        }
    }

    private static func comparisons(crossType: Bool) -> [FunctionDecl] {
        let ops: [(String, String)] = [("_<_", "less"), ("_<=_", "less_equals"), ("_>_", "greater"),
                                       ("_>=_", "greater_equals")]
        let same: [(String, CheckedType)] = [
            ("bool", .bool), ("int64", .int), ("uint64", .uint), ("double", .double), ("string", .string),
            ("bytes", .bytes), ("timestamp", .timestamp), ("duration", .duration),
        ]
        let numeric: [(String, CheckedType)] = [("int64", .int), ("uint64", .uint), ("double", .double)]
        return ops.map { op, stem in
            var overloads = same.map { suffix, t in OverloadDecl("\(stem)_\(suffix)", [t, t], .bool) }
            if crossType {
                for (n1, t1) in numeric {
                    for (n2, t2) in numeric where n1 != n2 {
                        overloads.append(OverloadDecl("\(stem)_\(n1)_\(n2)", [t1, t2], .bool))
                    }
                }
            }
            return FunctionDecl(op, overloads: overloads)
        }
    }

    /// cel-go's optional-types library at the type level (version 2, with `first`/`last` and `unwrap`).
    static var optionalLibrary: [FunctionDecl] {
        let v = CheckedType.typeParam("V"), k = CheckedType.typeParam("K")
        let optV = CheckedType.optional(v)
        let listV = CheckedType.list(v), mapKV = CheckedType.map(k, v)
        typealias O = OverloadDecl
        return [
            FunctionDecl("optional.of", O("optional_of", [v], optV)),
            FunctionDecl("optional.ofNonZeroValue", O("optional_ofNonZeroValue", [v], optV)),
            FunctionDecl("optional.none", O("optional_none", [], optV)),
            FunctionDecl("value", .member("optional_value", [optV], v)),
            FunctionDecl("hasValue", .member("optional_hasValue", [optV], .bool)),
            FunctionDecl("or", .member("optional_or_optional", [optV, optV], optV)),
            FunctionDecl("orValue", .member("optional_orValue_value", [optV, v], v)),
            FunctionDecl("_?._", O("select_optional_field", [.dyn, .string], optV)),
            FunctionDecl("_[?_]",
                O("list_optindex_optional_int", [listV, .int], optV),
                O("optional_list_optindex_optional_int", [.optional(listV), .int], optV),
                O("map_optindex_optional_value", [mapKV, k], optV),
                O("optional_map_optindex_optional_value", [.optional(mapKV), k], optV)),
            FunctionDecl("_[_]",
                O("optional_list_index_int", [.optional(listV), .int], optV),
                O("optional_map_index_value", [.optional(mapKV), k], optV)),
            FunctionDecl("optional.unwrap", O("optional_unwrap", [.list(optV)], listV)),
            FunctionDecl("unwrapOpt", .member("optional_unwrapOpt", [.list(optV)], listV)),
            FunctionDecl("first", .member("list_first", [listV], optV)),
            FunctionDecl("last", .member("list_last", [listV], optV)),
        ]
    }
}
