import ArbiterJSON
import ArbiterSchema
import CEL
import Testing

/// Messages and instance locations in the wording of santhosh-tekuri/jsonschema, which Cerbos
/// returns to clients; and how bad schemas and bad input are reported.
@Suite struct SchemaMessageTests {
    func errors(_ schema: String, _ instance: String) throws -> [String] {
        let compiled = try SchemaCompiler(assertFormat: true).compile(try JSONReader.parse(schema), uri: "test.json")
        return compiled.validate(try JSONReader.parse(instance)).map { "\($0.instanceLocation)|\($0.message)" }
    }

    @Test(arguments: [
        (#"{"type": "string"}"#, "1", "|expected string, but got number"),
        (#"{"type": ["string", "null"]}"#, "true", "|expected string or null, but got boolean"),
        (#"{"required": ["a", "b"]}"#, "{}", "|missing properties: 'a', 'b'"),
        (#"{"enum": ["marketing", "engineering"]}"#, #""x""#, #"|value must be one of "marketing", "engineering""#),
        (#"{"enum": [1]}"#, "2", "|value must be 1"),
        (#"{"const": "a"}"#, #""b""#, #"|value must be "a""#),
        (#"{"const": {"a": 1}}"#, "{}", "|const failed"),
        (#"{"minLength": 5}"#, #""abc""#, "|length must be >= 5, but got 3"),
        (#"{"maxLength": 2}"#, #""héé""#, "|length must be <= 2, but got 3"),
        (#"{"pattern": "^a+$"}"#, #""b""#, "|does not match pattern '^a+$'"),
        (#"{"minimum": 20}"#, "3", "|must be >= 20 but found 3"),
        (#"{"exclusiveMaximum": 1.5}"#, "2.25", "|must be < 1.5 but found 2.25"),
        (#"{"multipleOf": 2}"#, "3", "|3 not multipleOf 2"),
        (#"{"minItems": 2}"#, "[1]", "|minimum 2 items required, but found 1 items"),
        (#"{"uniqueItems": true}"#, "[1, 2, 1]", "|items at index 0 and 2 are equal"),
        (#"{"maxProperties": 1}"#, #"{"a": 1, "b": 2}"#, "|maximum 1 properties allowed, but found 2 properties"),
        (#"{"additionalProperties": false, "properties": {"a": true}}"#, #"{"a": 1, "b": 2}"#, "|additionalProperties 'b' not allowed"),
        (#"{"not": {"type": "number"}}"#, "1", "|not failed"),
        (#"{"format": "date-time"}"#, #""yesterday""#, "|'yesterday' is not valid 'date-time'"),
        (#"{"dependentRequired": {"a": ["b"]}}"#, #"{"a": 1}"#, "|property 'b' is required, if 'a' property exists"),
        (#"{"oneOf": [true, true]}"#, "1", "|valid against schemas at indexes 0 and 1"),
        (#"false"#, "1", "|not allowed"),
    ])
    func keywordFailure_isWordedAsCerbosWordsIt(schema: String, instance: String, expected: String) throws {
        #expect(try errors(schema, instance) == [expected])
    }

    @Test func nestedFailures_carryJSONPointerInstanceLocations() throws {
        let schema = #"""
            {"properties": {"a/b": {"properties": {"list": {"items": {"type": "integer"}}}}, "c d": {"type": "string"}}}
            """#
        #expect(try errors(schema, #"{"a/b": {"list": [1, "x"]}, "c d": 1}"#) == [
            "/a~1b/list/1|expected integer, but got string",
            "/c%20d|expected string, but got number",
        ])
    }

    @Test func anyOfFailure_reportsTheLeavesOfEveryBranch_andAPassingBranchReportsNothing() throws {
        let schema = #"{"anyOf": [{"type": "string"}, {"minimum": 5}]}"#
        #expect(try errors(schema, "1") == ["|expected string, but got number", "|must be >= 5 but found 1"])
        #expect(try errors(schema, "7") == [])
    }

    @Test func refToAnotherDocument_isResolvedThroughTheResolver() throws {
        let address = try JSONReader.parse(#"{"type": "object", "required": ["city"]}"#)
        let compiler = SchemaCompiler { uri in uri == "cerbos:///address.json" ? address : nil }
        let root = try JSONReader.parse(#"{"properties": {"home": {"$ref": "/address.json"}}}"#)
        let schema = try compiler.compile(root, uri: "cerbos:///customer.json")
        #expect(schema.validate(try JSONReader.parse(#"{"home": {}}"#)).map(\.message) == ["missing properties: 'city'"])
        #expect(schema.isValid(try JSONReader.parse(#"{"home": {"city": "Paris"}}"#)))
    }

    @Test func unresolvableRef_isACompileErrorNamingTheDocument() throws {
        let root = try JSONReader.parse(#"{"properties": {"a": {"$ref": "other.json#/x"}}}"#)
        let error = #expect(throws: SchemaCompileError.self) { try SchemaCompiler().compile(root, uri: "cerbos:///main.json") }
        #expect(error?.unresolvedURI == "cerbos:///other.json")
        #expect(error?.location == "cerbos:///main.json#/properties/a")
    }

    @Test(arguments: [
        (#"{"minLength": "3"}"#, "minLength must be a non-negative integer"),
        (#"{"type": "text"}"#, "unknown type text"),
        (#"{"pattern": "(unclosed"}"#, "invalid regular expression '(unclosed'"),
        (#"{"allOf": []}"#, "allOf must be a non-empty array of schemas"),
        (#"{"properties": {"a": 3}}"#, "a schema must be an object or a boolean, got number"),
        (##"{"$ref": "#/$defs/missing"}"##, "no value at #/$defs/missing"),
    ])
    func invalidSchema_isACompileErrorWithItsLocation(schema: String, message: String) throws {
        let error = #expect(throws: SchemaCompileError.self) { try SchemaCompiler().compile(try JSONReader.parse(schema), uri: "s.json") }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
        #expect(error?.location.hasPrefix("s.json#") == true)
    }

    @Test func schemaThatAppliesItselfWithoutEnd_failsInsteadOfOverflowingTheStack() throws {
        let schema = try SchemaCompiler().compile(try JSONReader.parse(##"{"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}"##), uri: "loop.json")
        #expect(!schema.isValid(.double(1)))
        #expect(schema.validate(.double(1)).first?.message.contains("applies itself without end") == true)
    }

    @Test func celIntegersAndDoubles_areTheSameJSONNumbers() throws {
        let schema = try SchemaCompiler().compile(try JSONReader.parse(#"{"type": "integer", "enum": [3]}"#), uri: "n.json")
        #expect(schema.isValid(.int(3)))
        #expect(schema.isValid(.uint(3)))
        #expect(schema.isValid(.double(3)))
        #expect(!schema.isValid(.double(3.5)))
    }
}
