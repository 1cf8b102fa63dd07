/// Which keywords hold subschemas, per draft: the scan for identifiers walks only these, so an
/// `$id` inside `enum` or `const` is data, not an identifier.
enum SchemaKeywords {
    enum Shape { case schema, schemaList, schemaMap, other }

    static func shape(of keyword: String, draft: JSONSchemaDraft) -> Shape {
        switch keyword {
        case "additionalProperties", "contains", "propertyNames", "not", "if", "then", "else", "items":
            return .schema
        case "unevaluatedProperties", "unevaluatedItems":
            return draft == .draft2020_12 ? .schema : .other
        case "additionalItems":
            return draft == .draft7 ? .schema : .other
        case "allOf", "anyOf", "oneOf":
            return .schemaList
        case "prefixItems":
            return draft == .draft2020_12 ? .schemaList : .other
        case "properties", "patternProperties", "definitions", "$defs":
            return .schemaMap
        case "dependentSchemas":
            return draft == .draft2020_12 ? .schemaMap : .other
        case "dependencies":
            return draft == .draft7 ? .schemaMap : .other
        default:
            return .other
        }
    }
}
