import ArbiterJSON
import ArbiterTestSupport
import CEL
import CELProtoJSON
import Foundation
import Testing

/// Locates and reads the cel-spec conformance suite (JSON, see the README next to it) shared by
/// the CEL test suites.
///
/// The folder is `$ARBITER_CONFORMANCE_DIR` when set, else `<package root>/../shared/conformance`.
enum ConformanceData {
    /// One test of a conformance file, with its JSON object (as `JSONReader` reads it) for the
    /// fields a suite needs, and its position in the file.
    struct Case: Sendable {
        var file: String
        var section: String
        var ordinal: Int
        var json: Value
        var name: String { json[member: "name"]?.jsonString ?? "" }
        var expr: String { json[member: "expr"]?.jsonString ?? "" }
        var key: String { "\(file)/\(section)/\(name)" }
        func flag(_ k: String) -> Bool { json[member: k]?.jsonBool ?? false }
    }

    static var directory: URL { URL(fileURLWithPath: TestPaths.conformance) }

    /// The `cel-spec/*.json` files, sorted; records a test failure naming the path and the
    /// environment variable when the folder is missing.
    static func celSpecFiles(sourceLocation: SourceLocation = #_sourceLocation) -> [URL] {
        let folder = directory.appendingPathComponent("cel-spec")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let files = names.filter { $0.hasSuffix(".json") }.sorted().map { folder.appendingPathComponent($0) }
        if files.isEmpty {
            Issue.record("""
                conformance data not found at \(folder.path); set ARBITER_CONFORMANCE_DIR to the folder \
                that holds cel-spec/*.json
                """, sourceLocation: sourceLocation)
        }
        return files
    }

    /// The cases of `cel-spec/<name>.json`; throws with the path and the variable's name when missing.
    static func cases(file name: String) throws -> [Case] {
        let url = directory.appendingPathComponent("cel-spec/\(name).json")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ConformanceError(
                "conformance file \(url.path) not found: set ARBITER_CONFORMANCE_DIR or check out ../shared/conformance")
        }
        return try cases(in: url)
    }

    /// Every test of one conformance file, in file order.
    static func cases(in file: URL) throws -> [Case] {
        let root = try JSONReader.parse([UInt8](try Data(contentsOf: file)))
        // A file without sections (unknowns.json) has no tests.
        let sections = root[member: "section"]?.jsonArray ?? []
        let fileName = file.deletingPathExtension().lastPathComponent
        var result: [Case] = []
        for section in sections {
            let sectionName = section[member: "name"]?.jsonString ?? ""
            for test in section[member: "test"]?.jsonArray ?? [] {
                result.append(Case(file: fileName, section: sectionName, ordinal: result.count, json: test))
            }
        }
        return result
    }

    struct ConformanceError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}
