/// cel-go `ext.Strings` at its latest version: code-point indexing, Go's `strings` semantics for
/// replace/split/trim, `join`, `reverse`, `strings.quote` and `format`.
public struct StringsLibrary: ValidatingLibrary {
    /// The library; it has no options.
    public init() {}
    /// The library name used in diagnostics.
    public var name: String { "cel.ext.strings" }
    /// Checker declarations of the functions.
    public var declarations: [FunctionDecl] { Declarations.stringsExtension }
    /// cel-go checks literal `format` calls at compile time by default.
    public var validators: [any ASTValidator] { [StringFormatValidator()] }

    /// Runtime overloads, with cel-go overload ids.
    public var functions: [FunctionBinding] {
        let s = K.string, i = K.int
        return [
            FunctionBinding("charAt", Overload.chargingScans([.binary("string_char_at_int", s, i, isMember: true) { a, b in
                guard case let .string(str) = a, case let .int(n) = b else { return Ext.fail("charAt", a, b) }
                return StringsLibrary.charAt(str, n)
            }])),
            FunctionBinding("indexOf", Overload.chargingSearches([
                .binary("string_index_of_string", s, s, isMember: true) { a, b in
                    guard case let .string(str) = a, case let .string(sub) = b else { return Ext.fail("indexOf", a, b) }
                    return StringsLibrary.indexOf(str, sub, 0)
                },
                .nary("string_index_of_string_int", [s, s, i], isMember: true) { args in
                    guard case let .string(str) = args[0], case let .string(sub) = args[1], case let .int(off) = args[2] else {
                        return .noSuchOverload("indexOf")
                    }
                    return StringsLibrary.indexOf(str, sub, off)
                },
            ])),
            FunctionBinding("lastIndexOf", Overload.chargingSearches([
                .binary("string_last_index_of_string", s, s, isMember: true) { a, b in
                    guard case let .string(str) = a, case let .string(sub) = b else { return Ext.fail("lastIndexOf", a, b) }
                    if sub.isEmpty { return .int(Int64(str.unicodeScalars.count)) }
                    return StringsLibrary.lastIndexOf(str, sub, Int64(str.unicodeScalars.count) - 1)
                },
                .nary("string_last_index_of_string_int", [s, s, i], isMember: true) { args in
                    guard case let .string(str) = args[0], case let .string(sub) = args[1], case let .int(off) = args[2] else {
                        return .noSuchOverload("lastIndexOf")
                    }
                    return StringsLibrary.lastIndexOf(str, sub, off)
                },
            ])),
            FunctionBinding("lowerAscii", Overload.chargingScans([.unary("string_lower_ascii", s, isMember: true) { a in
                guard case let .string(str) = a else { return Ext.fail("lowerAscii", a) }
                return .string(StringsLibrary.mapASCII(str, from: 65...90, offset: 32))
            }])),
            FunctionBinding("upperAscii", Overload.chargingScans([.unary("string_upper_ascii", s, isMember: true) { a in
                guard case let .string(str) = a else { return Ext.fail("upperAscii", a) }
                return .string(StringsLibrary.mapASCII(str, from: 97...122, offset: -32))
            }])),
            FunctionBinding("replace", [
                .budgeted("string_replace_string_string", [s, s, s], isMember: true) { args, budget in
                    guard case let .string(str) = args[0], case let .string(old) = args[1], case let .string(new) = args[2] else {
                        return .noSuchOverload("replace")
                    }
                    return StringsLibrary.replace(str, old, new, -1, &budget)
                },
                .budgeted("string_replace_string_string_int", [s, s, s, i], isMember: true) { args, budget in
                    guard case let .string(str) = args[0], case let .string(old) = args[1], case let .string(new) = args[2],
                          case let .int(n) = args[3] else { return .noSuchOverload("replace") }
                    return StringsLibrary.replace(str, old, new, n, &budget)
                },
            ]),
            FunctionBinding("split", [
                .budgetedBinary("string_split_string", s, s, isMember: true) { a, b, budget in
                    guard case let .string(str) = a, case let .string(sep) = b else { return Ext.fail("split", a, b) }
                    return StringsLibrary.split(str, sep, -1, &budget)
                },
                .budgeted("string_split_string_int", [s, s, i], isMember: true) { args, budget in
                    guard case let .string(str) = args[0], case let .string(sep) = args[1], case let .int(n) = args[2] else {
                        return .noSuchOverload("split")
                    }
                    return StringsLibrary.split(str, sep, n, &budget)
                },
            ]),
            FunctionBinding("substring", Overload.chargingScans([
                .binary("string_substring_int", s, i, isMember: true) { a, b in
                    guard case let .string(str) = a, case let .int(start) = b else { return Ext.fail("substring", a, b) }
                    let runes = Ext.scalars(str)
                    guard start >= 0, start <= Int64(runes.count) else { return .err("index out of range: \(start)") }
                    return .string(Ext.string(runes[Int(start)...]))
                },
                .nary("string_substring_int_int", [s, i, i], isMember: true) { args in
                    guard case let .string(str) = args[0], case let .int(start) = args[1], case let .int(end) = args[2] else {
                        return .noSuchOverload("substring")
                    }
                    return StringsLibrary.substring(str, start, end)
                },
            ])),
            FunctionBinding("trim", Overload.chargingScans([.unary("string_trim", s, isMember: true) { a in
                guard case let .string(str) = a else { return Ext.fail("trim", a) }
                return .string(GoStrings.trimSpace(str))
            }])),
            FunctionBinding("join", [
                .budgetedUnary("list_join", K.list, isMember: true) { a, budget in
                    StringsLibrary.join(a, separator: "", &budget)
                },
                .budgetedBinary("list_join_string", K.list, s, isMember: true) { a, b, budget in
                    guard case let .string(sep) = b else { return Ext.fail("join", a, b) }
                    return StringsLibrary.join(a, separator: sep, &budget)
                },
            ]),
            FunctionBinding("reverse", Overload.chargingScans([.unary("string_reverse", s, isMember: true) { a in
                guard case let .string(str) = a else { return Ext.fail("reverse", a) }
                return .string(Ext.string(str.unicodeScalars.reversed()))
            }])),
            FunctionBinding("strings.quote", [.budgetedUnary("strings_quote", s) { a, budget in
                guard case let .string(str) = a else { return Ext.fail("strings.quote", a) }
                // At most two bytes out per byte in, plus the quotes.
                if let e = budget.admitString(2 * str.utf8.count + 2, by: "strings.quote") { return e }
                return .string(StringsLibrary.quote(str))
            }]),
            FunctionBinding("format", [.budgetedBinary("string_format", s, K.list, isMember: true) { a, b, budget in
                guard case let .string(template) = a, case let .list(args) = b else { return Ext.fail("format", a, b) }
                switch StringFormatter.format(template, args, budget: &budget) {
                case let .success(text): return .string(text)
                case let .failure(e): return .error(e)
                }
            }]),
        ]
    }

    static func charAt(_ str: String, _ n: Int64) -> Value {
        let runes = Ext.scalars(str)
        guard n >= 0, n <= Int64(runes.count) else { return .err("index out of range: \(n)") }
        return n == Int64(runes.count) ? .string("") : .string(String(Character(runes[Int(n)])))
    }

    /// cel-go: an empty needle returns the offset; a negative offset errors; an offset past the
    /// end finds nothing.
    static func indexOf(_ str: String, _ sub: String, _ offset: Int64) -> Value {
        if sub.isEmpty { return .int(offset) }
        guard offset >= 0 else { return .err("index out of range: \(offset)") }
        let runes = Ext.scalars(str), needle = Ext.scalars(sub)
        guard offset < Int64(runes.count) else { return .int(-1) }
        var i = Int(offset)
        while i + needle.count <= runes.count {
            if runes[i..<(i + needle.count)].elementsEqual(needle) { return .int(Int64(i)) }
            i += 1
        }
        return .int(-1)
    }

    /// A needle longer than the string is simply not found (`''.lastIndexOf('@@')` is -1).
    static func lastIndexOf(_ str: String, _ sub: String, _ offset: Int64) -> Value {
        if sub.isEmpty { return .int(offset) }
        let runes = Ext.scalars(str), needle = Ext.scalars(sub)
        if needle.count > runes.count { return .int(-1) }
        guard offset >= 0 else { return .err("index out of range: \(offset)") }
        guard offset < Int64(runes.count) else { return .int(-1) }
        var i = min(Int(offset), runes.count - needle.count)
        while i >= 0 {
            if runes[i..<(i + needle.count)].elementsEqual(needle) { return .int(Int64(i)) }
            i -= 1
        }
        return .int(-1)
    }

    static func substring(_ str: String, _ start: Int64, _ end: Int64) -> Value {
        let runes = Ext.scalars(str)
        let n = Int64(runes.count)
        if start > end { return .err("invalid substring range. start: \(start), end: \(end)") }
        guard start >= 0, start <= n else { return .err("index out of range: \(start)") }
        guard end >= 0, end <= n else { return .err("index out of range: \(end)") }
        return .string(Ext.string(runes[Int(start)..<Int(end)]))
    }

    static func mapASCII(_ str: String, from range: ClosedRange<UInt8>, offset: Int) -> String {
        var bytes = Array(str.utf8)
        for i in bytes.indices where range.contains(bytes[i]) { bytes[i] = UInt8(Int(bytes[i]) + offset) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The strings of `list` joined, admitted at their total size first: the list can hold one
    /// request string many times over.
    static func join(_ list: Value, separator: String, _ budget: inout EvaluationBudget) -> Value {
        guard case let .list(items) = list else { return Ext.fail("join", list) }
        var total = 0
        for (i, item) in items.enumerated() {
            guard case let .string(s) = item else { return .err("join: invalid input: \(item.celType)") }
            total += s.utf8.count + (i > 0 ? separator.utf8.count : 0)
            if total > budget.limits.maxStringSize { break }
        }
        if let e = budget.admitString(total, by: "join") { return e }
        var out = ""
        out.reserveCapacity(total)
        for (i, item) in items.enumerated() {
            guard case let .string(s) = item else { continue }
            if i > 0 { out += separator }
            out += s
        }
        return .string(out)
    }

    /// `GoStrings.replace` admitted at its largest possible size first: every match of `old`
    /// (every position, when `old` is empty) may become `new`.
    static func replace(_ str: String, _ old: String, _ new: String, _ n: Int64, _ budget: inout EvaluationBudget) -> Value {
        let length = str.utf8.count, oldLength = old.utf8.count, newLength = new.utf8.count
        var matches = oldLength == 0 ? str.unicodeScalars.count + 1 : length / oldLength
        if n >= 0 { matches = min(matches, Int(clamping: n)) }
        let (grown, overflow) = matches.multipliedReportingOverflow(by: max(newLength - oldLength, 0))
        if let e = budget.admitString(overflow ? Int.max : length + grown, by: "replace")
            ?? budget.chargeSearch(haystack: length, needle: oldLength) { return e }
        return .string(GoStrings.replace(str, old, new, n))
    }

    /// `GoStrings.split` admitted at its largest possible element count first (one per code
    /// point when `sep` is empty), and charged for the scan.
    static func split(_ str: String, _ sep: String, _ n: Int64, _ budget: inout EvaluationBudget) -> Value {
        var parts = sep.isEmpty ? str.unicodeScalars.count : str.utf8.count / max(sep.utf8.count, 1) + 1
        if n >= 0 { parts = min(parts, Int(clamping: n)) }
        if let e = budget.admitList(parts, by: "split") ?? budget.chargeSearch(haystack: str.utf8.count, needle: sep.utf8.count) {
            return e
        }
        return .list(GoStrings.split(str, sep, n).map { .string($0) })
    }

    /// Wraps in double quotes and escapes CEL's escape characters; everything else is verbatim.
    static func quote(_ str: String) -> String {
        var out = "\""
        for c in str.unicodeScalars {
            switch c {
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
