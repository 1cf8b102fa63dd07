/// Groups of the JSON Schema Test Suite left out, each with its reason.
enum SchemaSuiteSkips {
    private static let metaSchema = "validates against the draft's metaschema, which is not bundled: schemas here never $ref it, and one that does gets a compile error naming the URI"

    static let groups: [String: String] = [
        "draft2020-12/defs.json :: validate definition against metaschema": metaSchema,
        "draft2020-12/ref.json :: remote ref, containing refs itself": metaSchema,
        "draft7/definitions.json :: validate definition against metaschema": metaSchema,
        "draft7/ref.json :: remote ref, containing refs itself": metaSchema,
        "draft2020-12/vocabulary.json :: schema that uses custom metaschema with with no validation vocabulary":
            "$vocabulary is not honoured (nor by santhosh-tekuri/jsonschema v5, Cerbos's validator): every vocabulary is always on",
    ]

    /// Files of the optional format tests with failures that are known, with the most failures
    /// allowed and the reason; more failures than that is a regression.
    static let knownFormatFailures: [String: (count: Int, reason: String)] = [
        "draft2020-12/optional/format/ecmascript-regex.json": (10, ecmaRegex),
        "draft7/optional/format/ecmascript-regex.json": (10, ecmaRegex),
    ]
    private static let ecmaRegex = "format regex is checked with RE2, the dialect of `pattern` here and of Go's regexp in Cerbos's validator, not ECMA-262"

    static func reason(file: String, group: String) -> String? {
        groups[file + " :: " + group]
    }
}
