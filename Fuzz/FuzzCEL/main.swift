// FuzzCEL: the CEL parser, checker, planner and interpreter on arbitrary source text, in
// Cerbos's environment (the standard library, cel-go's extension libraries with the literal
// validators, Cerbos's own functions) and in the same environment unchecked.
//
// Invariants beyond "does not crash": a failed compile has issues and no program; a program
// evaluates to the same value twice in a row (programs are immutable; per-evaluation state lives
// on the stack).
import ArbiterPolicy
import CEL
import FuzzSupport

let variables = ["x", "y", "s", "request", "P", "R"]
let libraries = CELExtensions.cerbos + [CerbosLibrary()]
let checked = Environment(libraries: libraries, variables: variables)
let unchecked = checked.with(checking: false)

func attributes(_ pairs: [(String, Value)]) -> Value { .map(MapValue(stringKeyed: pairs)) }

let principal = attributes([
    ("id", .string("alice")), ("roles", .list([.string("user"), .string("admin")])),
    ("attr", attributes([("department", .string("eng")), ("ip", .string("10.20.1.2")), ("level", .int(3)),
                         ("teams", .list([.string("a.b.c"), .string("a.b")]))])),
])
let resource = attributes([
    ("kind", .string("doc")), ("id", .string("d1")),
    ("attr", attributes([("owner", .string("alice")), ("public", .bool(false)), ("size", .double(1.5)),
                         ("tags", .list([.string("x"), .int(1), .null]))])),
])
let bindings: [String: Value] = [
    "x": attributes([("a", .int(1)), ("b", .list([.int(1), .uint(2), .double(3)])), ("c", .string("héllo"))]),
    "y": .list([.int(3), .int(1), .int(2)]),
    "s": .string("a,b;c"),
    "request": attributes([("principal", principal), ("resource", resource)]),
    "P": principal,
    "R": resource,
]

func run(_ environment: Environment, _ source: String) {
    let result = environment.compile(source)
    guard let program = result.program else {
        fuzzInvariant(!result.issues.isEmpty, "a compile without a program reported no issue")
        _ = result.renderedIssues(source: source)
        return
    }
    fuzzInvariant(result.issues.isEmpty, "a compile with a program reported issues")
    let activation = environment.makeActivation(bindings)
    let first = program.evaluate(activation)
    let second = program.evaluate(activation)
    fuzzInvariant(first == second, "two evaluations differ: \(first) then \(second)")
}

runFuzzer { bytes in
    let source = String(decoding: bytes, as: UTF8.self)
    run(checked, source)
    run(unchecked, source)
}
