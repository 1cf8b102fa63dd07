import ArbiterEngine
import ArbiterPolicy

/// `storage.disk.requireTestsPass`: a compiled policy set is published only when the policy
/// test suites in its directory (`*_test.yaml`, as `arbiter compile` runs them) all pass. The
/// failures become the reload's diagnostics, so Health and `STATUS=` name the failing test.
enum PolicyTestGate {
    /// Most failures listed; the rest are counted.
    static let maxListed = 20

    /// One line per failing or errored test action or suite, or empty when every suite passed.
    static func failures(policySet: PolicySet, configuration: EngineConfiguration, directory: String) -> [String] {
        let results = TestRunner(policySet: policySet, baseConfiguration: configuration).run(directory: directory)
        guard !results.succeeded else { return [] }
        var lines: [String] = []
        for suite in results.suites {
            if let error = suite.error {
                lines.append("policy test suite \(suite.file) (\(suite.name)) could not run: \(error)")
                continue
            }
            for test in suite.testCases {
                for principal in test.principals {
                    for resource in principal.resources {
                        for action in resource.actions {
                            let place = "policy test failed: \(suite.file) › \(suite.name) › \(test.name) › "
                                + "\(principal.name) › \(resource.name) › \(action.action)"
                            switch action.details {
                            case let .failed(expected, actual, outputs):
                                lines.append(place + (expected == actual
                                    ? ": \(outputs.count) output expectation(s) not met"
                                    : ": expected \(expected.rawValue), got \(actual.rawValue)"))
                            case let .errored(message):
                                lines.append(place + ": error: \(message)")
                            case .passed, .skipped:
                                continue
                            }
                        }
                    }
                }
            }
        }
        if lines.isEmpty { lines.append("policy tests did not pass (\(results.summary.overall.protoName))") }
        guard lines.count > maxListed else { return lines }
        return lines.prefix(maxListed) + ["\(lines.count - maxListed) more policy test failures"]
    }
}
