import ArbiterJSON
import ArbiterTestSupport
import CEL

/// Locates and reads the JSON Schema Test Suite in the shared conformance data.
enum SchemaSuiteData {
    static let variable = TestPaths.conformanceVariable

    /// The suite's folder in the conformance data (`TestPaths.conformance`).
    static var root: String { TestPaths.conformance + "/json-schema" }

    static func files(in directory: String) -> [String] { LocalFiles.entries(in: directory, suffix: ".json") }

    static func read(_ path: String) -> [UInt8]? { LocalFiles.read(path) }

    /// The suite's remote documents, served as the suite says: `http://localhost:1234/<path>` is `remotes/<path>`.
    static func remotesResolver(_ uri: String) -> Value? {
        let prefix = "http://localhost:1234/"
        guard uri.hasPrefix(prefix), let bytes = read(root + "/remotes/" + uri.dropFirst(prefix.count)) else { return nil }
        return try? JSONReader.parse(bytes)
    }
}
