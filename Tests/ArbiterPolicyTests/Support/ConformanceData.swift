import ArbiterTestSupport
import Foundation

/// Locates the shared Cerbos conformance data: `$ARBITER_CONFORMANCE_DIR`, else `<package root>/../shared/conformance`.
enum ConformanceData {
    static let environmentVariable = TestPaths.conformanceVariable

    static var packageRoot: String { TestPaths.packageRoot }

    static var root: String { TestPaths.conformance }

    /// The `cerbos/<suite>` folder, or an error naming the path and the variable when it is missing.
    static func cerbos(_ suite: String) throws -> String {
        let path = root + "/cerbos/" + suite
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MissingData(path: path)
        }
        return path
    }

    static func files(in dir: String, suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(suffix) }.sorted()
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    struct MissingData: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "conformance data not found at \(path); set \(ConformanceData.environmentVariable) to the folder holding cerbos/"
        }
    }
}
