import ArbiterEngine
import ArbiterJSON
import ArgumentParser
import CEL
import CELProtoJSON
import Foundation

/// `arbiter eval`: evaluates CEL for people (a Cerbos condition against a request) and for
/// machines (`--jsonl`: any CEL conformance test line, so test files can run against the binary).
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a CEL expression.",
        usage: """
        arbiter eval EXPRESSION [--request FILE] [--now RFC3339] [--globals JSON]
          arbiter eval --jsonl < tests.jsonl
        """,
        discussion: """
          arbiter eval 'R.attr.owner == P.id' --request request.json

        evaluates a condition as a policy rule would. request.json holds \
        {"principal": {...}, "resource": {...}, "auxData": {...}} as in a CheckResources \
        input. Prints the value as JSON (exit 0), an evaluation error (exit 1) or compile \
        errors (exit 3). Without --request, P, R and request are empty, and a warning \
        says so.

          arbiter eval --jsonl < tests.jsonl

        reads one JSON object a line: {"expr": ..., "bindings": {name: <cel.expr.Value \
        JSON>}, "container", "typeEnv", "disableMacros", "disableCheck"} and writes one \
        line for each, in order: {"value": <cel.expr.Value JSON>} or {"error": "..."}. \
        Standard library and every extension library; no Cerbos variables.
        """
    )

    @Argument(help: "The expression (not with --jsonl).") var expression: String?
    @Option(name: .long, help: "A JSON file with principal, resource and auxData.") var request: String?
    @Option(name: .long, help: "The time now() returns, RFC 3339 (default: the current time).") var now: String?
    @Option(name: .long, help: "JSON object exposed as globals / G.") var globals: String?
    @Flag(name: .long, help: "Read JSON lines from standard input (see above).") var jsonl = false

    func run() throws {
        if jsonl {
            guard expression == nil, request == nil else { throw ValidationError("--jsonl takes no expression or --request") }
            JSONLinesEvaluator.run(input: FileHandle.standardInput, output: { print($0) })
            return
        }
        guard let expression else { throw ValidationError("give an expression, or --jsonl") }
        let input = try loadInput()
        if request == nil {
            let names = RequestReferences.identifiers(in: expression)
            if !names.isEmpty {
                printError("warning: the expression reads \(names.joined(separator: ", ")) but no --request was given: "
                    + "the principal and resource are empty (give --request FILE)")
            }
        }
        var clock = Engine.currentTime()
        if let now {
            guard let t = Timestamp(rfc3339: now) else { throw ValidationError("--now \(now): not an RFC 3339 timestamp") }
            clock = t
        }
        var globalValues = MapValue()
        if let globals {
            guard case let .map(m) = try parseJSON(Array(globals.utf8), what: "--globals") else {
                throw ValidationError("--globals: expected a JSON object")
            }
            globalValues = m
        }
        switch Engine.evaluate(expression: expression, input: input, globals: globalValues, now: clock) {
        case let .failure(error):
            printError(error.rendered)
            throw ExitCode(3)
        case let .success(.error(e)):
            printError("error: \(e.message)")
            throw ExitCode(1)
        case let .success(value):
            print(Self.display(value))
        }
    }

    private func loadInput() throws -> CheckInput {
        guard let request else {
            return CheckInput(principal: Principal(id: "", roles: []), resource: Resource(kind: "", id: ""), actions: [])
        }
        let bytes: [UInt8]
        do { bytes = try readAll(request == "-" ? nil : request) } catch { throw ValidationError("cannot read \(request): \(error)") }
        guard case let .map(m) = try parseJSON(bytes, what: request) else {
            throw ValidationError("\(request): expected a JSON object with principal and resource")
        }
        do {
            let principal = try Principal(from: m[string: "principal"] ?? .null)
            let resource = try Resource(from: m[string: "resource"] ?? .null)
            let aux = try (m[string: "auxData"] ?? m[string: "aux_data"]).map { try AuxData(from: $0) }
            return CheckInput(principal: principal, resource: resource, actions: [], auxData: aux)
        } catch {
            throw ValidationError("\(request): \(error)")
        }
    }

    private func parseJSON(_ bytes: [UInt8], what: String) throws -> Value {
        do { return try JSONReader.parse(bytes) } catch { throw ValidationError("\(what): \(error)") }
    }

    /// JSON where the value has a JSON form; CEL's own text otherwise (types, optionals ...).
    static func display(_ value: Value) -> String {
        if let json = try? JSONWriter.encodeString(value) { return json } // no JSON form: fall back to proto JSON below
        if let proto = try? value.protoJSONText() { return proto }
        return "\(value)"
    }
}
