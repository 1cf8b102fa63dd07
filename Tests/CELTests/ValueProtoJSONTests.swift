import CELProtoJSON
import Foundation
@testable import CEL
import Testing

@Suite struct ValueProtoJSONTests {
    @Test(arguments: [
        #"{"int64Value":"-9223372036854775808"}"#, #"{"uint64Value":"18446744073709551615"}"#,
        #"{"doubleValue":1.5}"#, #"{"doubleValue":"NaN"}"#, #"{"doubleValue":"-Infinity"}"#,
        #"{"stringValue":"✌"}"#, #"{"bytesValue":"AP8="}"#, #"{"boolValue":false}"#, #"{"nullValue":null}"#,
        #"{"listValue":{"values":[{"int64Value":"1"},{"stringValue":"a"}]}}"#,
        #"{"mapValue":{"entries":[{"key":{"stringValue":"k"},"value":{"uint64Value":"2"}}]}}"#,
        #"{"typeValue":"google.protobuf.Duration"}"#,
        #"{"objectValue":{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1.5s"}}"#,
        #"{"objectValue":{"@type":"type.googleapis.com/google.protobuf.Timestamp","value":"2009-02-13T23:31:30Z"}}"#,
    ])
    func protoJSON_roundTrips(text: String) throws {
        let value = try Value(protoJSONText: text)
        let again = try Value(protoJSONText: try value.protoJSONText())
        #expect(value == again)
    }

    @Test func protoJSON_decodesKindsByKeyPresence() throws {
        #expect(try Value(protoJSONText: #"{"nullValue":null}"#) == .null)
        #expect(try Value(protoJSONText: #"{"uint64Value":"7"}"#) == .uint(7))
        #expect(try Value(protoJSONText: #"{"listValue":{}}"#) == .list([]))
    }

    @Test func protoJSON_rejectsMessagesThatNeedProtobuf() {
        #expect(throws: Value.ProtoJSONError.self) {
            try Value(protoJSONText: #"{"objectValue":{"@type":"type.googleapis.com/x.Msg"}}"#)
        }
    }

    @Test func protoJSON_encodesErrorsAsFailures() {
        #expect(throws: Value.ProtoJSONError.self) { try Value.err("boom").protoJSONText() }
    }
}
