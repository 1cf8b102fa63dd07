import Foundation
import Testing
@testable import CEL

/// Runs cel-spec's conformance suite: parse, (check,) evaluate, compare the outcome. Tests that
/// cannot pass yet sit in `ConformanceSkips` with a reason; any other failure fails this test.
@Suite struct ConformanceTests {
    static let files = [
        "basic", "bindings_ext", "block_ext", "comparisons", "conversions", "dynamic", "encoders_ext", "enums",
        "fields", "fp_math", "integer_math", "lists", "logic", "macros", "macros2", "math_ext", "namespace",
        "network_ext", "optionals", "parse", "plumbing", "proto2", "proto2_ext", "proto3", "string", "string_ext",
        "timestamps", "type_deduction", "unknowns", "wrappers",
    ]

    @Test(arguments: files)
    func conformanceFile_passesExceptListedSkips(file: String) throws {
        let cases = try ConformanceData.cases(file: file)
        var passed = 0, skipped = 0, failed = 0, stale: [String] = []
        for c in cases {
            if let reason = ConformanceSkips.reason(for: c) {
                skipped += 1
                if !reason.hasPrefix(ConformanceSkips.protoReason), !ConformanceSkips.isFileSkip(c.file),
                   ConformanceRunner.run(c) == nil {
                    stale.append(c.key)
                }
                continue
            }
            if let failure = ConformanceRunner.run(c) {
                failed += 1
                Issue.record("\(c.key) [#\(c.ordinal)] `\(c.expr)`: \(failure)")
            } else {
                passed += 1
            }
        }
        let runnable = cases.count - skipped
        print("conformance \(file): passed \(passed)/\(runnable) run (\(cases.count) total, \(skipped) skipped, \(failed) failed)")
        for s in stale { print("conformance \(file): skip entry now passes: \(s)") }
    }
}
