import ArbiterJSON
import CEL
import CELProtoJSON
import Foundation

/// The `arbiter eval --jsonl` loop: one request line in, exactly one answer line out, in order.
/// It sets up each expression the way the CEL conformance suite's runner does (cel-go's), so a
/// converted conformance file can be replayed against the binary.
enum JSONLinesEvaluator {
    static func run(input: FileHandle, output: (String) -> Void) {
        var buffer = Data()
        func flushLines(final: Bool) {
            while let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer.removeSubrange(buffer.startIndex...newline)
                if !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { output(answer(Data(line))) }
            }
            if final, !buffer.isEmpty, !buffer.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) {
                output(answer(buffer))
                buffer.removeAll()
            }
        }
        while true {
            let chunk = input.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            flushLines(final: false)
        }
        flushLines(final: true)
    }

    /// The answer line for one request line.
    static func answer(_ line: Data) -> String {
        let request: Value
        do {
            request = try JSONReader.parse([UInt8](line))
        } catch {
            return errorLine("the line is not valid JSON: \(error)")
        }
        guard case .map = request else { return errorLine("the line is not a JSON object") }
        switch evaluate(request) {
        case let .failure(failure): return errorLine(failure.message)
        case let .success(.error(e)): return errorLine(e.message)
        case let .success(value):
            do {
                return try JSONWriter.encodeString(.map(MapValue(stringKeyed: [("value", try value.protoJSON())])), .init(sortedKeys: true))
            } catch {
                return errorLine("the result has no cel.expr.Value form: \(error)")
            }
        }
    }

    static func evaluate(_ request: Value) -> Result<Value, Value.ProtoJSONError> {
        let setup: ConformanceTestSetup
        do { setup = try ConformanceTestSetup(test: request) } catch { return .failure(error) }
        let compiled = setup.compile()
        guard let program = compiled.program else {
            return .failure(.init(compiled.renderedIssues(source: setup.source)))
        }
        return .success(setup.evaluate(program))
    }

    private static func errorLine(_ message: String) -> String {
        var w = JSONWriter(capacity: message.utf8.count + 16)
        w.appendASCII(#"{"error":"#)
        w.writeString(message)
        w.appendASCII("}")
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
