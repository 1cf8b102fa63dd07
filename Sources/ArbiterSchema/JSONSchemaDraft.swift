/// The JSON Schema dialects this validator understands.
public enum JSONSchemaDraft: Sendable, Hashable {
    /// Draft 7 (`http://json-schema.org/draft-07/schema#`): `$ref` hides its siblings, `items`
    /// may be an array, `$id: "#name"` declares an anchor.
    case draft7
    /// Draft 2020-12 (`https://json-schema.org/draft/2020-12/schema`).
    case draft2020_12

    /// The draft named by a `$schema` value, nil for one this validator does not know.
    /// Draft 2019-09 is read as 2020-12, which it differs from only in keywords both drafts spell differently.
    public init?(metaSchemaURI: String) {
        var uri = metaSchemaURI
        if uri.hasSuffix("#") { uri.removeLast() }
        switch uri {
        case "http://json-schema.org/draft-07/schema", "https://json-schema.org/draft-07/schema",
             "http://json-schema.org/draft-06/schema", "http://json-schema.org/draft-04/schema":
            self = .draft7
        case "https://json-schema.org/draft/2020-12/schema", "https://json-schema.org/draft/2019-09/schema":
            self = .draft2020_12
        default:
            return nil
        }
    }
}
