/// Groups of the JSON Schema Test Suite left out, each with its reason.
enum SchemaSuiteSkips {
    static let groups: [String: String] = [:]

    static func reason(file: String, group: String) -> String? {
        groups[file + " :: " + group]
    }
}
