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
    /// in one walk over the object); `propertyIndex` finds a name's entry while compiling.
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

    /// Derived by `finish()` once the keywords are set: which keyword groups are present (a
    /// validation tests one bit per group instead of every optional), the `properties` names as
    /// a byte table with each entry's node and `required` flag, and a string-only `enum` as a table (`enumIsStrings`).
    var groups: KeywordGroups = []
    var propertyTable = NameTable.empty
    var propertyNodes: [Int] = []
    var propertyRequired: [Bool] = []
    var enumStrings = NameTable.empty
    var enumIsStrings = false
    /// `pattern` when `SimplePattern` can match it without RE2.
    var simplePattern: SimplePattern?

    /// Whether `s` matches the `pattern` of `node` (which must have one): by `simplePattern`
    /// when it can answer. Static over a pointer: a method call on `node.pointee` copied the
    /// whole node (and retained each of its arrays) per call.
    @inline(__always)
    static func pattern(of node: UnsafePointer<SchemaNode>, matches s: String) -> Bool {
        if let answer = node.pointee.simplePattern?.matches(s) { return answer }
        return node.pointee.pattern!.matches(s)
    }

    /// Derives `groups`, `propertyTable`, `propertyNodes`, `propertyRequired`, `enumStrings`, `enumIsStrings` and `simplePattern`.
    mutating func finish() {
        var g: KeywordGroups = []
        if always != nil { g.insert(.boolean) }
        if types != nil { g.insert(.type) }
        if constValue != nil { g.insert(.const) }
        if enumValues != nil { g.insert(.enumeration) }
        if format != nil { g.insert(.format) }
        if minLength != nil || maxLength != nil || pattern != nil { g.insert(.string) }
        if minimum != nil || maximum != nil || exclusiveMinimum != nil || exclusiveMaximum != nil || multipleOf != nil { g.insert(.number) }
        if minProperties != nil || maxProperties != nil || !properties.isEmpty || !patternProperties.isEmpty
            || additionalProperties != nil || !requiredOutsideProperties.isEmpty || !dependentRequired.isEmpty
            || !dependentSchemas.isEmpty || propertyNames != nil { g.insert(.object) }
        if minItems != nil || maxItems != nil || uniqueItems || !prefixItems.isEmpty || items != nil || contains != nil { g.insert(.array) }
        if ref != nil || dynamicRef != nil || not != nil || !allOf.isEmpty || !anyOf.isEmpty || !oneOf.isEmpty || ifSchema != nil {
            g.insert(.applicators)
        }
        if needsAnnotations { g.insert(.unevaluated) }
        groups = g
        simplePattern = pattern.flatMap { SimplePattern($0.pattern) }
        propertyTable = NameTable(properties.map(\.name))
        propertyNodes = properties.map(\.node)
        propertyRequired = properties.map(\.required)
        if let enumValues, !enumValues.isEmpty {
            var strings: [String] = []
            for case let .string(s) in enumValues { strings.append(s) }
            enumIsStrings = strings.count == enumValues.count
            if enumIsStrings { enumStrings = NameTable(strings) }
        }
    }
}

/// The groups of keywords a schema node has, one bit each.
struct KeywordGroups: OptionSet, Sendable {
    let rawValue: UInt16
    /// A `true` or `false` schema.
    static let boolean = KeywordGroups(rawValue: 1)
    static let type = KeywordGroups(rawValue: 2)
    static let const = KeywordGroups(rawValue: 4)
    static let enumeration = KeywordGroups(rawValue: 8)
    static let format = KeywordGroups(rawValue: 16)
    /// minLength, maxLength, pattern.
    static let string = KeywordGroups(rawValue: 32)
    /// minimum, maximum, exclusive bounds, multipleOf.
    static let number = KeywordGroups(rawValue: 64)
    /// Every keyword that inspects an object's members or count.
    static let object = KeywordGroups(rawValue: 128)
    /// Every keyword that inspects an array's items or count.
    static let array = KeywordGroups(rawValue: 256)
    /// $ref, $dynamicRef, not, allOf, anyOf, oneOf, if.
    static let applicators = KeywordGroups(rawValue: 512)
    /// unevaluatedProperties, unevaluatedItems.
    static let unevaluated = KeywordGroups(rawValue: 1024)

    init(rawValue: UInt16) { self.rawValue = rawValue }
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
