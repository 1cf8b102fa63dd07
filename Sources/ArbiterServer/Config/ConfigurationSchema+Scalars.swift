import ArbiterYAML
import CEL

extension ConfigurationSchema {
    static func string(_ n: YAMLNode, _ k: String, _ issues: inout [ConfigurationIssue]) -> String? {
        guard case let .scalar(s) = n.kind, s.resolved != .null else {
            issues.append(issue(n, k, "must be a string, got a \(n.kindName)"))
            return nil
        }
        return s.value
    }

    static func bool(_ n: YAMLNode, _ k: String, _ issues: inout [ConfigurationIssue]) -> Bool? {
        guard case let .scalar(s) = n.kind, case let .bool(b) = s.resolved else {
            issues.append(issue(n, k, "must be true or false, got \(describe(n))"))
            return nil
        }
        return b
    }

    static func int(_ n: YAMLNode, _ k: String, _ issues: inout [ConfigurationIssue]) -> Int? {
        guard case let .scalar(s) = n.kind, case let .int(v) = s.resolved else {
            issues.append(issue(n, k, "must be an integer, got \(describe(n))"))
            return nil
        }
        return Int(v)
    }

    /// An octal mode: the string `"0660"`/`"660"`/`"0o660"` or a YAML integer whose digits are
    /// read as octal (YAML 1.2 reads 0660 as decimal 660, which is never what was meant).
    static func mode(_ n: YAMLNode, _ k: String, _ issues: inout [ConfigurationIssue]) -> UInt32? {
        guard case let .scalar(s) = n.kind else {
            issues.append(issue(n, k, "must be an octal file mode such as \"0660\""))
            return nil
        }
        var text = s.value
        if text.hasPrefix("0o") || text.hasPrefix("0O") { text.removeFirst(2) }
        guard !text.isEmpty, let v = UInt32(text, radix: 8), v <= 0o777 else {
            issues.append(issue(n, k, "must be an octal file mode such as \"0660\", got \"\(s.value)\""))
            return nil
        }
        return v
    }

    static func idList(_ n: YAMLNode, _ k: String, _ issues: inout [ConfigurationIssue]) -> [UInt32]? {
        guard case let .sequence(items) = n.kind else {
            issues.append(issue(n, k, "must be a list of numeric ids"))
            return nil
        }
        var result: [UInt32] = []
        for item in items {
            guard case let .scalar(s) = item.kind, case let .int(v) = s.resolved, v >= 0, v <= Int64(UInt32.max) else {
                issues.append(issue(item, k, "must be a list of numeric ids, got \(describe(item))"))
                return nil
            }
            result.append(UInt32(v))
        }
        return result
    }

    static func duration(_ n: YAMLNode, _ k: String, _ issues: inout [ConfigurationIssue]) -> Duration? {
        guard case let .scalar(s) = n.kind, let d = parseDuration(s.value) else {
            issues.append(issue(n, k, "must be a duration such as 200ms, 2s or 1m30s, got \(describe(n))"))
            return nil
        }
        return d
    }

    /// Go `time.ParseDuration` syntax for non-negative values: numbers with units ns, us, µs, ms, s, m, h.
    static func parseDuration(_ text: String) -> Duration? {
        var rest = Substring(text)
        if rest == "0" { return .zero }
        var total: Duration = .zero
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isNumber || $0 == ".") }
            rest = rest.dropFirst(unit.count)
            let nanos: Double
            switch unit {
            case "ns": nanos = 1
            case "us", "µs": nanos = 1e3
            case "ms": nanos = 1e6
            case "s": nanos = 1e9
            case "m": nanos = 60e9
            case "h": nanos = 3600e9
            default: return nil
            }
            total += .nanoseconds(Int64(value * nanos))
        }
        return total
    }

    static func value(_ n: YAMLNode) -> Value {
        switch n.kind {
        case let .scalar(s):
            switch s.resolved {
            case .null: return .null
            case let .bool(b): return .bool(b)
            case let .int(i): return .int(i)
            case let .double(d): return .double(d)
            case let .string(t): return .string(t)
            }
        case let .sequence(items): return .list(items.map(value))
        case let .mapping(pairs):
            return .map(MapValue(stringKeyed: pairs.map { ($0.key.scalar?.value ?? "", value($0.value)) }))
        }
    }

    static func describe(_ n: YAMLNode) -> String {
        if case let .scalar(s) = n.kind { return "\"\(s.value)\"" }
        return "a \(n.kindName)"
    }
}
