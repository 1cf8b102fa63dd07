/// Tallies one conformance suite: cases passed, skipped with a reason, and failures outside the skip list.
struct ConformanceRun {
    let suite: String
    let skips: [String: String]
    private(set) var passed = 0
    private(set) var total = 0
    private(set) var failures: [String] = []
    private(set) var skipped: [String] = []
    private(set) var unexpectedPasses: [String] = []

    init(suite: String, skips: [String: String]) {
        self.suite = suite
        self.skips = skips
    }

    /// Records a case; `problem` is nil when it behaved as expected.
    mutating func record(_ name: String, problem: String?) {
        total += 1
        if let reason = skips[name] {
            skipped.append("\(name): \(reason)")
            if problem == nil { unexpectedPasses.append(name) }
            return
        }
        if let problem {
            failures.append("\(name): \(problem)")
        } else {
            passed += 1
        }
    }

    var summary: String {
        "[\(suite)] passed \(passed)/\(total), skipped \(skipped.count)" + (failures.isEmpty ? "" : ", FAILED \(failures.count)")
    }

    func printReport() {
        print(summary)
        for s in skipped { print("  skip \(s)") }
        for f in failures { print("  FAIL \(f)") }
        for u in unexpectedPasses { print("  note: skipped case now passes: \(u)") }
    }
}
