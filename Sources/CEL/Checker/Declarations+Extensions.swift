extension Declarations {
    /// Every cel-go extension library (`ext.*` at their latest versions), at the
    /// type level. The macro-only libraries (Bindings, TwoVarComprehensions) need just `cel.@mapInsert`.
    public static var allExtensions: [FunctionDecl] {
        stringsExtension + mathExtension + encodersExtension + listsExtension + setsExtension + regexExtension
            + networkExtension + twoVariableComprehensionsExtension
    }

    /// cel-go `ext.Strings` (version 4+: `format`, `quote`, `join`, `reverse`).
    public static var stringsExtension: [FunctionDecl] {
        typealias O = OverloadDecl
        let s = CheckedType.string
        return [
            FunctionDecl("charAt", .member("string_char_at_int", [s, .int], s)),
            FunctionDecl("indexOf", .member("string_index_of_string", [s, s], .int),
                         .member("string_index_of_string_int", [s, s, .int], .int)),
            FunctionDecl("lastIndexOf", .member("string_last_index_of_string", [s, s], .int),
                         .member("string_last_index_of_string_int", [s, s, .int], .int)),
            FunctionDecl("lowerAscii", .member("string_lower_ascii", [s], s)),
            FunctionDecl("upperAscii", .member("string_upper_ascii", [s], s)),
            FunctionDecl("replace", .member("string_replace_string_string", [s, s, s], s),
                         .member("string_replace_string_string_int", [s, s, s, .int], s)),
            FunctionDecl("split", .member("string_split_string", [s, s], .list(s)),
                         .member("string_split_string_int", [s, s, .int], .list(s))),
            FunctionDecl("substring", .member("string_substring_int", [s, .int], s),
                         .member("string_substring_int_int", [s, .int, .int], s)),
            FunctionDecl("trim", .member("string_trim", [s], s)),
            FunctionDecl("join", .member("list_join", [.list(s)], s), .member("list_join_string", [.list(s), s], s)),
            FunctionDecl("reverse", .member("string_reverse", [s], s)),
            FunctionDecl("format", .member("string_format", [s, .list(.dyn)], s)),
            FunctionDecl("strings.quote", O("strings_quote", [s], s)),
        ]
    }

    /// cel-go `ext.Math` (version 2). `math.greatest/least` are macros over `math.@max/@min`.
    public static var mathExtension: [FunctionDecl] {
        typealias O = OverloadDecl
        let numeric: [(String, CheckedType)] = [("double", .double), ("int", .int), ("uint", .uint)]
        func extremum(_ name: String) -> FunctionDecl {
            var overloads = numeric.map { n, t in O("math_@\(name)_\(n)", [t], t) }
            for (n1, t1) in numeric {
                for (n2, t2) in numeric { overloads.append(O("math_@\(name)_\(n1)_\(n2)", [t1, t2], n1 == n2 ? t1 : .dyn)) }
            }
            overloads += numeric.map { n, t in O("math_@\(name)_list_\(n)", [.list(t)], t) }
            return FunctionDecl("math.@\(name)", overloads: overloads)
        }
        func doubleOnly(_ name: String, _ result: CheckedType) -> FunctionDecl {
            FunctionDecl("math.\(name)", O("math_\(name)_double", [.double], result))
        }
        func perNumeric(_ name: String) -> FunctionDecl {
            FunctionDecl("math.\(name)", overloads: numeric.map { n, t in O("math_\(name)_\(n)", [t], t) })
        }
        func bitwise(_ name: String) -> FunctionDecl {
            FunctionDecl("math.\(name)", O("math_\(name)_int_int", [.int, .int], .int),
                         O("math_\(name)_uint_uint", [.uint, .uint], .uint))
        }
        func shift(_ name: String) -> FunctionDecl {
            FunctionDecl("math.\(name)", O("math_\(name)_int_int", [.int, .int], .int),
                         O("math_\(name)_uint_int", [.uint, .int], .uint))
        }
        return [
            extremum("max"), extremum("min"),
            doubleOnly("ceil", .double), doubleOnly("floor", .double), doubleOnly("round", .double),
            doubleOnly("trunc", .double), doubleOnly("isInf", .bool), doubleOnly("isNaN", .bool),
            doubleOnly("isFinite", .bool),
            perNumeric("abs"), perNumeric("sign"),
            bitwise("bitAnd"), bitwise("bitOr"), bitwise("bitXor"),
            FunctionDecl("math.bitNot", O("math_bitNot_int_int", [.int], .int), O("math_bitNot_uint_uint", [.uint], .uint)),
            shift("bitShiftLeft"), shift("bitShiftRight"),
            FunctionDecl("math.sqrt", overloads: numeric.map { n, t in O("math_sqrt_\(n)", [t], .double) }),
        ]
    }

    /// cel-go `ext.Encoders` (v0.30: with `json.encode`).
    public static var encodersExtension: [FunctionDecl] {
        [
            FunctionDecl("base64.decode", OverloadDecl("base64_decode_string", [.string], .bytes)),
            FunctionDecl("base64.encode", OverloadDecl("base64_encode_bytes", [.bytes], .string)),
            FunctionDecl("json.encode", OverloadDecl("json_encode_dyn", [.dyn], .string)),
        ]
    }

    /// The types that `sort` and `sortBy` accept, with the names cel-go puts in overload ids.
    private static var comparableTypes: [(String, CheckedType)] {
        [("int", .int), ("uint", .uint), ("double", .double), ("bool", .bool), ("duration", .duration),
         ("timestamp", .timestamp), ("string", .string), ("bytes", .bytes)]
    }

    /// cel-go `ext.Lists` (version 3). `sortBy` is a macro over `@sortByAssociatedKeys`.
    public static var listsExtension: [FunctionDecl] {
        typealias O = OverloadDecl
        let t = CheckedType.typeParam("T")
        return [
            FunctionDecl("slice", .member("list_slice", [.list(t), .int, .int], .list(t))),
            FunctionDecl("flatten", .member("list_flatten", [.list(.list(t))], .list(t)),
                         .member("list_flatten_int", [.list(.dyn), .int], .list(.dyn))),
            FunctionDecl("lists.range", O("lists_range", [.int], .list(.int))),
            FunctionDecl("reverse", .member("list_reverse", [.list(t)], .list(t))),
            FunctionDecl("distinct", .member("list_distinct", [.list(t)], .list(t))),
            FunctionDecl("sort", overloads: comparableTypes.map { n, k in .member("list_\(n)_sort", [.list(k)], .list(k)) }),
            FunctionDecl("@sortByAssociatedKeys", overloads: comparableTypes.map { n, k in
                .member("list_\(n)_sortByAssociatedKeys", [.list(t), .list(k)], .list(t))
            }),
        ]
    }

    /// cel-go `ext.Sets`.
    public static var setsExtension: [FunctionDecl] {
        let t = CheckedType.list(.typeParam("T"))
        return [
            FunctionDecl("sets.contains", OverloadDecl("list_sets_contains_list", [t, t], .bool)),
            FunctionDecl("sets.equivalent", OverloadDecl("list_sets_equivalent_list", [t, t], .bool)),
            FunctionDecl("sets.intersects", OverloadDecl("list_sets_intersects_list", [t, t], .bool)),
        ]
    }

    /// cel-go `ext.Regex`.
    public static var regexExtension: [FunctionDecl] {
        typealias O = OverloadDecl
        let s = CheckedType.string
        return [
            FunctionDecl("regex.replace", O("regex_replace_string_string_string", [s, s, s], s),
                         O("regex_replace_string_string_string_int", [s, s, s, .int], s)),
            FunctionDecl("regex.extract", O("regex_extract_string_string", [s, s], .optional(s))),
            FunctionDecl("regex.extractAll", O("regex_extractAll_string_string", [s, s], .list(s))),
        ]
    }

    /// The IP address type of cel-go `ext.Network`.
    public static let ipType = CheckedType.opaque("net.IP", [])
    /// The CIDR range type of cel-go `ext.Network`.
    public static let cidrType = CheckedType.opaque("net.CIDR", [])

    /// cel-go `ext.Network` (functions; the type names are `networkTypeIdentifiers`).
    public static var networkExtension: [FunctionDecl] {
        typealias O = OverloadDecl
        let ip = ipType, cidr = cidrType, s = CheckedType.string
        return [
            FunctionDecl("cidr", O("string_to_cidr", [s], cidr)),
            FunctionDecl("string", O("cidr_to_string", [cidr], s), O("ip_to_string", [ip], s)),
            FunctionDecl("containsCIDR", .member("cidr_contains_cidr", [cidr, cidr], .bool),
                         .member("cidr_contains_cidr_string", [cidr, s], .bool)),
            FunctionDecl("containsIP", .member("cidr_contains_ip_ip", [cidr, ip], .bool),
                         .member("cidr_contains_ip_string", [cidr, s], .bool)),
            FunctionDecl("family", .member("ip_family", [ip], .int)),
            FunctionDecl("ip", O("string_to_ip", [s], ip), .member("cidr_ip", [cidr], ip)),
            FunctionDecl("ip.isCanonical", O("ip_is_canonical", [s], .bool)),
            FunctionDecl("isCIDR", O("is_cidr", [s], .bool)),
            FunctionDecl("isIP", O("is_ip", [s], .bool)),
            FunctionDecl("isGlobalUnicast", .member("ip_is_global_unicast", [ip], .bool)),
            FunctionDecl("isLinkLocalMulticast", .member("ip_is_link_local_multicast", [ip], .bool)),
            FunctionDecl("isLinkLocalUnicast", .member("ip_is_link_local_unicast", [ip], .bool)),
            FunctionDecl("isLoopback", .member("ip_is_loopback", [ip], .bool)),
            FunctionDecl("isMask", .member("cidr_is_mask", [cidr], .bool)),
            FunctionDecl("isUnspecified", .member("ip_is_unspecified", [ip], .bool)),
            FunctionDecl("masked", .member("cidr_masked", [cidr], cidr)),
            FunctionDecl("prefixLength", .member("cidr_prefix_length", [cidr], .int)),
        ]
    }

    /// `net.IP` and `net.CIDR` as type identifiers (`type(ip('::1')) == net.IP`).
    public static var networkTypeIdentifiers: [VariableDecl] {
        [VariableDecl("net.IP", .type(ipType)), VariableDecl("net.CIDR", .type(cidrType))]
    }

    /// What the `transformMap`/`transformMapEntry` macros of cel-go `ext.TwoVarComprehensions` call.
    public static var twoVariableComprehensionsExtension: [FunctionDecl] {
        let k = CheckedType.typeParam("K"), v = CheckedType.typeParam("V")
        let m = CheckedType.map(k, v)
        return [FunctionDecl("cel.@mapInsert", OverloadDecl("@mapInsert_map_key_value", [m, k, v], m),
                             OverloadDecl("@mapInsert_map_map", [m, m], m))]
    }

    /// The standard library, optional types and every extension library in `allExtensions`.
    public static func standardWithExtensions() -> Declarations { cachedStandardWithExtensions }

    private static let cachedStandardWithExtensions: Declarations = {
        var d = Declarations.standard()
        d.add(allExtensions)
        for v in networkTypeIdentifiers { d.add(v) }
        return d
    }()
}
