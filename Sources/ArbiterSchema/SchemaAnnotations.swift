/// The properties and items that the keywords of a schema (and its valid in-place subschemas)
/// evaluated, which `unevaluatedProperties` and `unevaluatedItems` need. Collected only under a
/// schema that has one of those keywords.
struct SchemaAnnotations {
    var allProperties = false
    var properties: Set<String> = []
    var allItems = false
    /// Items `0..<itemsPrefix` were evaluated (by `prefixItems`).
    var itemsPrefix = 0
    /// Items that `contains` matched.
    var items: Set<Int> = []

    mutating func merge(_ other: SchemaAnnotations) {
        allProperties = allProperties || other.allProperties
        if !allProperties { properties.formUnion(other.properties) }
        allItems = allItems || other.allItems
        itemsPrefix = max(itemsPrefix, other.itemsPrefix)
        if !allItems { items.formUnion(other.items) }
    }

    func evaluated(property name: String) -> Bool { allProperties || properties.contains(name) }
    func evaluated(item index: Int) -> Bool { allItems || index < itemsPrefix || items.contains(index) }
}
