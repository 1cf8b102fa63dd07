/// cel-go `ext.Regex` on RE2: `regex.replace` (with `\N` group references), `regex.extract`
/// (an optional) and `regex.extractAll`. Constant patterns compile once, at plan time.
public struct RegexLibrary: Library {
    /// The library; it has no options.
    public init() {}
    /// The library name used in diagnostics.
    public var name: String { "cel.ext.regex" }
    /// Checker declarations of the functions.
    public var declarations: [FunctionDecl] { Declarations.regexExtension }

    /// Runtime overloads, with cel-go overload ids.
    public var functions: [FunctionBinding] {
        [
            FunctionBinding("regex.replace", [
                compiled("regex_replace_string_string_string", [K.string, K.string, K.string], patternIndex: 1) { re, args, budget in
                    guard case let .string(target) = args[0], case let .string(repl) = args[2] else { return .noSuchOverload("regex.replace") }
                    return RegexLibrary.replace(target, re, repl, -1, maxSize: budget.limits.maxStringSize)
                },
                compiled("regex_replace_string_string_string_int", [K.string, K.string, K.string, K.int], patternIndex: 1) { re, args, budget in
                    guard case let .string(target) = args[0], case let .string(repl) = args[2], case let .int(n) = args[3] else {
                        return .noSuchOverload("regex.replace")
                    }
                    return RegexLibrary.replace(target, re, repl, n, maxSize: budget.limits.maxStringSize)
                },
            ]),
            FunctionBinding("regex.extract", [
                compiled("regex_extract_string_string", [K.string, K.string], patternIndex: 1) { re, args, budget in
                    guard case let .string(target) = args[0] else { return .noSuchOverload("regex.extract") }
                    return RegexLibrary.extract(target, re)
                },
            ]),
            FunctionBinding("regex.extractAll", [
                compiled("regex_extractAll_string_string", [K.string, K.string], patternIndex: 1) { re, args, budget in
                    guard case let .string(target) = args[0] else { return .noSuchOverload("regex.extractAll") }
                    let all = RegexLibrary.extractAll(target, re)
                    if case let .list(items) = all, let e = budget.admitList(items.count, by: "regex.extractAll") { return e }
                    return all
                },
            ]),
        ]
    }

    /// An overload whose pattern argument is compiled per call, or once when it is a constant.
    /// An overload whose pattern is compiled once when it is a constant, and whose target (the
    /// first argument) is admitted as regex input first.
    private func compiled(_ id: String, _ params: [ArgKind], patternIndex: Int,
                          _ body: @escaping @Sendable (RE2Regex, [Value], inout EvaluationBudget) -> Value) -> Overload {
        Overload(id, params, .budgeted { args, budget in
            guard case let .string(p) = args[patternIndex] else { return .noSuchOverload(id) }
            // A pattern compiled at run time (request data) costs a unit a byte, like the target.
            if let e = Self.admitTarget(args, id, &budget) ?? budget.charge(p.utf8.count) { return e }
            do { return body(try RE2Regex(p), args, &budget) } catch let e as EvalError { return .error(e) } catch {
                return .err("invalid regular expression")
            }
        }, specialize: { constants in
            guard case let .string(p)? = constants[patternIndex] else { return nil }
            do {
                let re = try RE2Regex(p)
                return .budgeted { args, budget in
                    if let e = Self.admitTarget(args, id, &budget) { return e }
                    return body(re, args, &budget)
                }
            } catch let e as EvalError {
                return .budgeted { _, _ in .error(e) }
            } catch { return nil }
        })
    }

    /// Go's `FindAllStringSubmatchIndex(s, -1)`: non-overlapping matches left to right; an empty
    /// match right after the previous match is skipped.
    private static func admitTarget(_ args: [Value], _ id: String, _ budget: inout EvaluationBudget) -> Value? {
        guard case let .string(target) = args[0] else { return nil }
        return budget.admitRegexInput(target.utf8.count, by: id)
    }

    static func allMatches(_ re: RE2Regex, in text: String) -> [[Range<Int>?]] {
        let bytes = Array(text.utf8)
        var out: [[Range<Int>?]] = []
        var pos = 0, prevEnd = -1
        while pos <= bytes.count, let m = re.firstMatch(in: text, from: pos), let whole = m[0] {
            var accept = true
            if whole.upperBound == pos {
                if whole.lowerBound == prevEnd { accept = false }
                pos = whole.upperBound < bytes.count ? whole.upperBound + GoStrings.runeWidth(bytes[whole.upperBound]) : bytes.count + 1
            } else {
                pos = whole.upperBound
            }
            prevEnd = whole.upperBound
            if accept { out.append(m) }
        }
        return out
    }

    /// `target` with matches replaced; the text is checked against `maxSize` as it grows (each
    /// replacement may copy groups of the target, so no cheap bound exists up front).
    static func replace(_ target: String, _ re: RE2Regex, _ replacement: String, _ count: Int64, maxSize: Int) -> Value {
        if count == 0 { return .string(target) }
        let bytes = Array(target.utf8)
        var out: [UInt8] = []
        var last = 0, done: Int64 = 0
        for m in allMatches(re, in: target) {
            if count > 0 && done >= count { break }
            guard let whole = m[0] else { continue }
            var expanded: [UInt8] = []
            let repl = Ext.scalars(replacement)
            var i = 0
            while i < repl.count {
                let c = repl[i]
                if c != "\\" { expanded.append(contentsOf: String(Character(c)).utf8); i += 1; continue }
                guard i + 1 < repl.count else {
                    return .err("invalid replacement string: '\(replacement)' \\ not allowed at end")
                }
                let next = repl[i + 1]
                i += 2
                if next == "\\" { expanded.append(UInt8(ascii: "\\")); continue }
                guard next.value >= 48, next.value <= 57 else {
                    return .err("invalid replacement string: '\(replacement)' \\ must be followed by a digit or \\")
                }
                let group = Int(next.value - 48)
                if group > re.groupCount {
                    return .err("replacement string references group \(group) but regex has only \(re.groupCount) group(s)")
                }
                if let r = m[group] { expanded.append(contentsOf: bytes[r]) }
            }
            if out.count + (whole.lowerBound - last) + expanded.count > maxSize {
                return .err("regex.replace: the result exceeds the limit of \(maxSize) bytes (string size limit)")
            }
            out.append(contentsOf: bytes[last..<whole.lowerBound])
            out.append(contentsOf: expanded)
            last = whole.upperBound
            done += 1
        }
        out.append(contentsOf: bytes[last...])
        return .string(String(decoding: out, as: UTF8.self))
    }

    static func tooManyGroups(_ re: RE2Regex) -> Value {
        .err("regular expression has more than one capturing group: \(StringsLibrary.quote(re.pattern))")
    }

    /// The first match, or its single group; none when there is no match or the group is empty.
    static func extract(_ target: String, _ re: RE2Regex) -> Value {
        if re.groupCount > 1 { return tooManyGroups(re) }
        guard let m = re.firstMatch(in: target), let whole = m[0] else { return .optional(nil) }
        let bytes = Array(target.utf8)
        if re.groupCount == 1 {
            guard let g = m[1], !g.isEmpty else { return .optional(nil) }
            return .optional(.string(String(decoding: bytes[g], as: UTF8.self)))
        }
        return .optional(.string(String(decoding: bytes[whole], as: UTF8.self)))
    }

    static func extractAll(_ target: String, _ re: RE2Regex) -> Value {
        if re.groupCount > 1 { return tooManyGroups(re) }
        let bytes = Array(target.utf8)
        var out: [Value] = []
        for m in allMatches(re, in: target) {
            if re.groupCount == 1 {
                if let g = m[1], !g.isEmpty { out.append(.string(String(decoding: bytes[g], as: UTF8.self))) }
            } else if let whole = m[0] {
                out.append(.string(String(decoding: bytes[whole], as: UTF8.self)))
            }
        }
        return .list(out)
    }
}
