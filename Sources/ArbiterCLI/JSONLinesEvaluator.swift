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
        let request: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                return errorLine("the line is not a JSON object")
            }
            request = object
        } catch {
            return errorLine("the line is not valid JSON: \(error.localizedDescription)")
        }
        switch evaluate(request) {
        case let .failure(failure): return errorLine(failure.message)
        case let .success(.error(e)): return errorLine(e.message)
        case let .success(value):
            do {
                let json = try JSONSerialization.data(withJSONObject: ["value": try value.protoJSONObject()], options: [.sortedKeys])
                return String(decoding: json, as: UTF8.self)
            } catch {
                return errorLine("the result has no cel.expr.Value form: \(error)")
            }
        }
    }

    static func evaluate(_ request: [String: Any]) -> Result<Value, EvalFailure> {
        guard let source = request["expr"] as? String else { return .failure(EvalFailure("missing \"expr\" (a string)")) }
        var typeEnv = Declarations()
        do { try typeEnv.add(protoJSONDecls: request["typeEnv"]) } catch { return .failure(EvalFailure("typeEnv: \(error)")) }
        var variables = Array(typeEnv.variables.values)
        var bindings: [String: Value] = [:]
        if let raw = request["bindings"], !(raw is NSNull) {
            guard let object = raw as? [String: Any] else { return .failure(EvalFailure("\"bindings\" must be an object")) }
            for (name, wrapped) in object {
                // Conformance files wrap each binding as {"value": <Value>}; a bare Value is accepted too.
                let payload = (wrapped as? [String: Any]).flatMap { $0.count == 1 ? $0["value"] : nil } ?? wrapped
                do { bindings[name] = try Value(protoJSONObject: payload) } catch { return .failure(EvalFailure("binding \(name): \(error)")) }
                if typeEnv.variables[name] == nil { variables.append(VariableDecl(name, .dyn)) }
            }
        }
        var options = ParserOptions.extended
        if flag(request, "disableMacros") { options.enableMacros = false }
        let env = Environment(libraries: [TypeEnvDeclarations(declarations: Array(typeEnv.functions.values))] + CELExtensions.all,
                              declaring: variables, container: request["container"] as? String ?? "",
                              parserOptions: options, checking: !flag(request, "disableCheck"))
        let compiled = env.compile(source)
        guard let program = compiled.program else { return .failure(EvalFailure(compiled.renderedIssues(source: source))) }
        return .success(program.evaluate(env.makeActivation(bindings)))
    }

    private static func flag(_ request: [String: Any], _ name: String) -> Bool { request[name] as? Bool ?? false }

    private static func errorLine(_ message: String) -> String {
        let json = (try? JSONSerialization.data(withJSONObject: ["error": message], options: [.sortedKeys])) ?? Data()
        return String(decoding: json, as: UTF8.self)
    }
}

/// Why a request line could not be evaluated (before evaluation proper).
struct EvalFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Function declarations from a request's `typeEnv`: for the checker only, with no runtime
/// bindings, exactly as the conformance runner treats them.
struct TypeEnvDeclarations: Library {
    var name: String { "eval.typeEnv" }
    var declarations: [FunctionDecl]
}
