extension TestResults {
    /// A readable tree for terminals: suite → test → principal → resource → action, then a summary.
    /// Passing and skipped tests collapse to one line unless `verbose`; `colour` adds ANSI colours.
    public func treeText(colour: Bool = false, verbose: Bool = false) -> String {
        func paint(_ text: String, _ kind: TestResultKind) -> String {
            guard colour else { return text }
            let code: String
            switch kind {
            case .passed: code = "32"
            case .failed: code = "31"
            case .errored: code = "35"
            case .skipped: code = "33"
            }
            return "\u{1B}[\(code)m\(text)\u{1B}[0m"
        }
        func label(_ kind: TestResultKind) -> String {
            paint(["SKIPPED", "OK", "FAILED", "ERROR"][kind.rawValue - 1], kind)
        }
        var out = ""
        for suite in suites {
            out += "\(suite.name) (\(suite.file)) [\(label(suite.summary.overall))]\n"
            if let error = suite.error {
                for line in error.split(separator: "\n", omittingEmptySubsequences: false) { out += "    \(line)\n" }
                continue
            }
            if let reason = suite.skipReason {
                out += "    skipped\(reason.isEmpty ? "" : ": \(reason)")\n"
                continue
            }
            for test in suite.testCases {
                let kinds = test.principals.flatMap { $0.resources.flatMap { $0.actions.map(\.kind) } }
                let worst = kinds.max() ?? .skipped
                out += "  \(test.name) [\(label(worst))]\n"
                guard verbose || worst > .passed else { continue }
                for p in test.principals {
                    out += "    \(p.name)\n"
                    for r in p.resources {
                        out += "      \(r.name)\n"
                        for a in r.actions { out += "        \(a.action) [\(label(a.kind))]\(Self.treeDetail(a))\n" }
                    }
                }
            }
        }
        let counts = TestResultKind.allCases.reversed().compactMap { kind -> String? in
            guard let n = summary.counts[kind], n > 0 else { return nil }
            return paint("\(n) \(kind.protoName.dropFirst(7).lowercased())", kind)
        }
        out += "\n\(summary.testsCount) tests executed\(counts.isEmpty ? "" : ": " + counts.joined(separator: ", "))"
        out += " [\(label(summary.overall))]\n"
        return out
    }

    static func treeDetail(_ a: ActionResult) -> String {
        switch a.details {
        case .passed: return ""
        case let .skipped(reason): return reason.isEmpty ? "" : " \(reason)"
        case let .errored(message): return " \(message)"
        case let .failed(expected, actual, outputs):
            var text = expected != actual ? " expected \(expected.rawValue), got \(actual.rawValue)" : ""
            for f in outputs {
                switch f.problem {
                case let .mismatched(e, got):
                    text += " output \(f.src): expected \(JSONText.render(e)), got \(JSONText.render(got))"
                case let .missing(e): text += " output \(f.src): expected \(JSONText.render(e)), but it was not produced"
                case let .errored(e, error): text += " output \(f.src): expected \(JSONText.render(e)), but it failed: \(error)"
                }
            }
            return text
        }
    }
}
