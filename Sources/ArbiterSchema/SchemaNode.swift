import CEL

/// One compiled schema object: its keywords decoded and checked once, subschemas as indexes
/// into the owning `JSONSchema`'s node table (indexes, not references, so recursive schemas
/// need no reference cycles).
struct SchemaNode: Sendable {
    /// `true` / `false` schemas; nil for an object schema.
    var always: Bool?
    /// Index of the schema resource (the nearest `$id`) this node belongs to, for `$dynamicRef`.
    var resource = 0
    /// The node's absolute location, for "doesn't validate with" messages.
    var location = ""

    var types: JSONTypeSet?
    var typeNames: [String] = []
    var constValue: Value?
    var enumValues: [Value]?
    var enumMessage = ""
    var format: SchemaFormat?
    var formatName = ""

    var minLength: Int?
    var maxLength: Int?
    var pattern: RE2Regex?

    var minimum: Double?
    var maximum: Double?
    var exclusiveMinimum: Double?
    var exclusiveMaximum: Double?
    var multipleOf: Double?

    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false
    var prefixItems: [Int] = []
    /// Schema for the items after `prefixItems` (2020-12 `items`, draft 7 `additionalItems` or a schema-valued `items`).
    var items: Int?
    /// Keyword name of `items` for keyword locations.
    var itemsKeyword = "items"
    var contains: Int?
    var minContains = 1
    var maxContains: Int?

    /// `properties` in schema order, each with whether it is also `required` (both are checked
    /// in one walk over the object); `propertyIndex` finds a name's entry.
    var properties: [(name: String, node: Int, required: Bool)] = []
    var propertyIndex: [String: Int] = [:]
    /// How many `properties` entries are `required`.
    var requiredDeclaredCount = 0
    var patternProperties: [(regex: RE2Regex, node: Int)] = []
    var additionalProperties: Int?
    /// `required` names in schema order; `requiredOutsideProperties` the keys of those that
    /// `properties` does not declare (the others are checked while walking `properties`).
    var required: [String] = []
    var requiredOutsideProperties: [MapKey] = []
    var dependentRequired: [(property: String, required: [String])] = []
    var dependentSchemas: [(property: String, node: Int)] = []
    var propertyNames: Int?
    var minProperties: Int?
    var maxProperties: Int?

    var ref: Int?
    /// `$dynamicRef`: the statically resolved target and, when that target carries a matching
    /// `$dynamicAnchor`, the anchor name to look up in the dynamic scope.
    var dynamicRef: (node: Int, anchor: String?)?
    var allOf: [Int] = []
    var anyOf: [Int] = []
    var oneOf: [Int] = []
    var not: Int?
    var ifSchema: Int?
    var thenSchema: Int?
    var elseSchema: Int?
    var unevaluatedProperties: Int?
    var unevaluatedItems: Int?

    /// Whether this node needs the evaluated-property and item annotations of its in-place subschemas.
    var needsAnnotations: Bool { unevaluatedProperties != nil || unevaluatedItems != nil }
}

/// A set of JSON types, as the `type` keyword lists them.
struct JSONTypeSet: OptionSet, Sendable {
    let rawValue: UInt8
    static let null = JSONTypeSet(rawValue: 1)
    static let boolean = JSONTypeSet(rawValue: 2)
    static let object = JSONTypeSet(rawValue: 4)
    static let array = JSONTypeSet(rawValue: 8)
    static let number = JSONTypeSet(rawValue: 16)
    static let string = JSONTypeSet(rawValue: 32)
    static let integer = JSONTypeSet(rawValue: 64)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init?(name: String) {
        switch name {
        case "null": self = .null
        case "boolean": self = .boolean
        case "object": self = .object
        case "array": self = .array
        case "number": self = .number
        case "string": self = .string
        case "integer": self = .integer
        default: return nil
        }
    }
}
