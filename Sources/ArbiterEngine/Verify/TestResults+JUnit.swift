extension TestResults {
    /// JUnit XML: one `<testsuite>` per suite file, one `<testcase>` per principal/resource/action.
    public func junitText() -> String {
        func count(_ s: TestSummary, _ kind: TestResultKind) -> Int { s.counts[kind] ?? 0 }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites tests=\"\(summary.testsCount)\" failures=\"\(count(summary, .failed))\" errors=\"\(count(summary, .errored))\" skipped=\"\(count(summary, .skipped))\">\n"
        for suite in suites {
            out += "  <testsuite name=\(Self.xmlAttribute(suite.name)) file=\(Self.xmlAttribute(suite.file)) tests=\"\(suite.summary.testsCount)\""
            out += " failures=\"\(count(suite.summary, .failed))\" errors=\"\(count(suite.summary, .errored) + (suite.error == nil ? 0 : 1))\""
            out += " skipped=\"\(count(suite.summary, .skipped))\">\n"
            if !suite.description.isEmpty {
                out += "    <properties>\n      <property name=\"description\" value=\(Self.xmlAttribute(suite.description))></property>\n    </properties>\n"
            }
            if let error = suite.error {
                out += "    <testcase name=\"suite\" classname=\(Self.xmlAttribute(suite.file))>\n"
                out += "      <error message=\"failed to load the suite\">\(Self.xmlText(error))</error>\n    </testcase>\n"
            } else if let reason = suite.skipReason {
                out += "    <testcase name=\"suite\" classname=\(Self.xmlAttribute(suite.file))>\n"
                out += "      <skipped message=\(Self.xmlAttribute(reason))></skipped>\n    </testcase>\n"
            }
            for test in suite.testCases {
                for p in test.principals {
                    for r in p.resources {
                        for a in r.actions {
                            let name = "\(test.name) - \(p.name).\(r.name).\(a.action)"
                            out += "    <testcase name=\(Self.xmlAttribute(name)) classname=\(Self.xmlAttribute(suite.file))>"
                            switch a.details {
                            case .passed: break
                            case let .skipped(reason): out += "\n      <skipped message=\(Self.xmlAttribute(reason))></skipped>\n    "
                            case let .errored(message): out += "\n      <error message=\(Self.xmlAttribute(message))></error>\n    "
                            case .failed:
                                let detail = Self.treeDetail(a).trimmingLeadingSpace()
                                out += "\n      <failure message=\"failed\" type=\"failure\">\(Self.xmlText(detail))</failure>\n    "
                            }
                            out += "</testcase>\n"
                        }
                    }
                }
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    static func xmlText(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(c)
            default:
                // XML 1.0 forbids most control characters even when escaped.
                if c.value >= 0x20 { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    static func xmlAttribute(_ s: String) -> String {
        "\"" + xmlText(s).replacingNewlines() + "\""
    }
}

private extension String {
    func trimmingLeadingSpace() -> String { String(drop { $0 == " " }) }
    func replacingNewlines() -> String {
        var out = ""
        for c in unicodeScalars {
            switch c {
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
