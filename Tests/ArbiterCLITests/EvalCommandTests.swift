import ArbiterJSON
import CELProtoJSON
import Foundation
import Testing
@testable import ArbiterCLI
import ArbiterTestSupport
import CEL

/// `arbiter eval --jsonl` must answer CEL conformance lines as the reference runner would, so
/// these tests replay whole conformance files through it and compare with each file's outcome.
@Suite struct EvalCommandTests {
    static let conformanceRoot = TestPaths.conformance

    /// The tests of one conformance file that need no protobuf and evaluate (not check-only).
    static func tests(in file: String) throws -> [Value] {
        let path = conformanceRoot + "/cel-spec/" + file
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("conformance data not found at \(path); set ARBITER_CONFORMANCE_DIR to the conformance folder")
            return []
        }
        let root = try JSONReader.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        var out: [Value] = []
        for section in root[member: "section"]?.jsonArray ?? [] {
            for test in section[member: "test"]?.jsonArray ?? [] {
                if test[member: "needsProto"]?.jsonBool == true || test[member: "checkOnly"]?.jsonBool == true { continue }
                out.append(test)
            }
        }
        return out
    }

    @Test(arguments: ["basic.json", "integer_math.json", "string_ext.json", "macros2.json", "timestamps.json"])
    func jsonl_answersConformanceLinesWithTheExpectedOutcome(file: String) throws {
        var passed = 0, mismatches: [String] = []
        let tests = try Self.tests(in: file)
        for test in tests {
            let answerText = JSONLinesEvaluator.answer(Data(try JSONWriter.encode(test)))
            let answer = try JSONReader.parse(answerText)
            let name = test[member: "name"]?.jsonString ?? "?"
            if test[member: "evalError"] != nil {
                if answer[member: "error"] != nil { passed += 1 } else { mismatches.append("\(name): expected an error, got \(answerText)") }
                continue
            }
            guard let got = answer[member: "value"] else { mismatches.append("\(name): \(answerText)"); continue }
            let expected = try (test[member: "value"] ?? test[member: "typedResult"]?[member: "result"])
                .map { try Value(protoJSON: $0) } ?? .bool(true)
            if try Value(protoJSON: got) == expected { passed += 1 } else {
                mismatches.append("\(name): expected \(expected), got \(answerText)")
            }
        }
        print("eval --jsonl \(file): \(passed)/\(tests.count)")
        // The few known differences are the CEL runner's reasoned skips (cel-go behaves otherwise).
        let allowed: Set<String> = ["indexof_out_of_range", "lastindexof_out_of_range", "get_milliseconds"]
        let unexpected = mismatches.filter { m in !allowed.contains { m.hasPrefix($0 + ":") } }
        #expect(unexpected.isEmpty, "\(unexpected.prefix(10))")
        #expect(!tests.isEmpty)
    }

    @Test func jsonl_answersEveryLineInOrder_evenUnparseableOnes() throws {
        let binary = try PackagingTests.Repo.builtBinary()
        let input = """
        {"expr": "x * 2", "bindings": {"x": {"value": {"int64Value": "21"}}}}
        this is not json
        {"expr": "1 +"}
        {"expr": "'a' + 'b'", "disableCheck": true}

        """
        let process = Process()
        process.executableURL = binary
        process.arguments = ["eval", "--jsonl"]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        try #require(lines.count == 4, "\(lines)")
        #expect(lines[0] == #"{"value":{"int64Value":"42"}}"#)
        #expect(lines[1].hasPrefix(#"{"error":"the line is not valid JSON"#))
        #expect(lines[2].hasPrefix(#"{"error":"ERROR: <input>:1:4: Syntax error"#))
        #expect(lines[3] == #"{"value":{"stringValue":"ab"}}"#)
    }

    @Test func eval_conditionAgainstARequest_printsTheValue_andCompileErrorsExitThree() throws {
        let binary = try PackagingTests.Repo.builtBinary().path
        let scratch = try PackagingTests.ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let request = scratch.url.appendingPathComponent("request.json")
        try Data(#"{"principal":{"id":"alice","roles":["user"]},"resource":{"kind":"doc","id":"1","attr":{"owner":"alice","n":2}}}"#.utf8)
            .write(to: request)
        let ok = try PackagingTests.Shell.run(binary, ["eval", "R.attr.owner == P.id && R.attr.n + 1.0 == 3.0", "--request", request.path])
        #expect(ok.status == 0 && ok.stdout == "true\n", "\(ok)")
        let missing = try PackagingTests.Shell.run(binary, ["eval", "R.attr.missing", "--request", request.path])
        #expect(missing.status == 1 && missing.stderr.contains("no such key: missing"), "\(missing)")
        let bad = try PackagingTests.Shell.run(binary, ["eval", "R.attr.owner ==", "--request", request.path])
        #expect(bad.status == 3 && bad.stderr.contains("Syntax error"), "\(bad)")
    }
}
