import ArbiterTestSupport
import Foundation
import Testing

/// Locates and reads the cel-spec conformance suite (JSON) shared by the CEL test suites.
///
/// The folder is `$ARBITER_CONFORMANCE_DIR` when set, else `<package root>/../shared/conformance`.
enum ConformanceData {
    /// One test of a conformance file, with the raw JSON object for fields a suite needs.
    struct Case: @unchecked Sendable {
        var file: String
        var section: String
        var name: String
        var expr: String
        var json: [String: Any]
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

    /// Every test of one conformance file, in file order.
    static func cases(in file: URL) throws -> [Case] {
        let data = try Data(contentsOf: file)
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        let fileName = file.deletingPathExtension().lastPathComponent
        var result: [Case] = []
        for section in root["section"] as? [[String: Any]] ?? [] {
            let sectionName = section["name"] as? String ?? ""
            for test in section["test"] as? [[String: Any]] ?? [] {
                result.append(Case(file: fileName, section: sectionName, name: test["name"] as? String ?? "",
                                   expr: test["expr"] as? String ?? "", json: test))
            }
        }
        return result
    }
}
