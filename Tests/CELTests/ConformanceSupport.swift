import ArbiterTestSupport
import Foundation
import Testing
@testable import CEL

/// Locates and reads the cel-spec conformance files (JSON form, see the README next to them).
enum ConformanceSupport {
    /// `TestPaths.conformance`: `ARBITER_CONFORMANCE_DIR` if set, else `<package root>/../shared/conformance`.
    static func directory() -> URL { URL(fileURLWithPath: TestPaths.conformance) }

    /// One conformance test, flattened with its file, section and ordinal.
    struct Case {
        var file: String
        var section: String
        var ordinal: Int
        var json: [String: Any]
        var name: String { json["name"] as? String ?? "" }
        var key: String { "\(file)/\(section)/\(name)" }
        func flag(_ k: String) -> Bool { json[k] as? Bool ?? false }
    }

    /// Loads the cases of one `cel-spec/<file>.json`; throws with the path and variable name when missing.
    static func cases(file: String) throws -> [Case] {
        let url = directory().appendingPathComponent("cel-spec/\(file).json")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ConformanceError(
                "conformance file \(url.path) not found: set ARBITER_CONFORMANCE_DIR or check out ../shared/conformance")
        }
        let data = try Data(contentsOf: url)
        guard let top = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ConformanceError("\(url.path): not a JSON object")
        }
        var out: [Case] = []
        var ordinal = 0
        for section in top["section"] as? [[String: Any]] ?? [] {
            let sname = section["name"] as? String ?? ""
            for test in section["test"] as? [[String: Any]] ?? [] {
                out.append(Case(file: file, section: sname, ordinal: ordinal, json: test))
                ordinal += 1
            }
        }
        return out
    }

    struct ConformanceError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}
