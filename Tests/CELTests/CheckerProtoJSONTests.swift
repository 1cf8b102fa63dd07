import ArbiterJSON
import CELProtoJSON
@testable import CEL
import Testing

@Suite struct CheckerProtoJSONTests {
    private func json(_ text: String) throws -> Value {
        try JSONReader.parse(text)
    }

    @Test(arguments: [
        (#"{"primitive": "INT64"}"#, "int"), (#"{"null": null}"#, "null_type"), (#"{"dyn": {}}"#, "dyn"),
        (#"{"listType": {"elemType": {"primitive": "STRING"}}}"#, "list(string)"),
        (#"{"mapType": {"keyType": {"primitive": "STRING"}, "valueType": {"dyn": {}}}}"#, "map(string, dyn)"),
        (#"{"messageType": "google.protobuf.Duration"}"#, "google.protobuf.Duration"),
        (#"{"wellKnown": "TIMESTAMP"}"#, "google.protobuf.Timestamp"), (#"{"wrapper": "BOOL"}"#, "wrapper(bool)"),
        (#"{"abstractType": {"name": "optional_type", "parameterTypes": [{"typeParam": "T"}]}}"#, "optional_type(T)"),
        (#"{"type": {"primitive": "UINT64"}}"#, "type(uint)"),
    ])
    func celExprType_readsIntoCheckedType(text: String, expected: String) throws {
        #expect(try CheckedType(protoJSON: json(text)).description == expected)
    }

    @Test func unknownTypeForm_isRejectedWithItsName() throws {
        #expect(throws: ProtoJSONDeclarationError.self) { try CheckedType(protoJSON: json(#"{"function": {}}"#)) }
        #expect(throws: ProtoJSONDeclarationError.self) { try CheckedType(protoJSON: json(#"{"primitive": "INT8"}"#)) }
    }

    @Test func typeEnvDecls_declareVariablesAndGenericFunctions() throws {
        var d = Declarations.standard()
        try d.add(protoJSONDecls: json("""
            [{"name": "x", "ident": {"type": {"primitive": "INT64"}}},
             {"name": "pick", "function": {"overloads": [{"overloadId": "pick_T", "params": [{"typeParam": "T"},
               {"typeParam": "T"}], "resultType": {"typeParam": "T"}}]}}]
            """))
        #expect(d.function(named: "pick")?.overloads.first?.typeParams == ["T"])
        let (ast, issues) = checkExpression("pick(x, 2) + 1", declarations: d)
        #expect(issues.isEmpty)
        #expect(ast?.resultType == .int)
    }
}
