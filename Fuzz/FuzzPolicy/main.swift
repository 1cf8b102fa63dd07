// FuzzPolicy: ArbiterYAML's loader and ArbiterPolicy's decoder, set checks and compiler (with
// the CEL of every condition) on arbitrary bytes.
//
// The input is a policy directory in txtar form, as Cerbos's compile test cases hold one: a line
// `-- <relative path> --` starts a file (so a corpus entry can hold derived roles, exported
// variables and `_schemas/` beside the policy that uses them); bytes before the first such line
// are `policy.yaml`.
//
// Invariants beyond "does not crash": a compile succeeds exactly when it reports no diagnostic;
// every diagnostic names one of the input files and a line within it (0 for a whole-file
// problem, one past the last for the end of a file); rendering the diagnostics with their source lines works.
import ArbiterPolicy
import CEL
import FuzzSupport

/// The file name of a txtar marker line (`-- name --`, the newline stripped), or nil.
func markerName(_ line: Slice<UnsafeRawBufferPointer>) -> String? {
    var text = Array(line)
    while let last = text.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { text.removeLast() }
    guard text.count >= 6, text.starts(with: Array("-- ".utf8)), text.suffix(3).elementsEqual(" --".utf8) else { return nil }
    return String(decoding: text[3..<text.count - 3], as: UTF8.self).trimmingSpaces()
}

extension String {
    func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}

/// Splits the input into (path, contents) at marker lines.
func files(_ bytes: UnsafeRawBufferPointer) -> [(path: String, contents: [UInt8])] {
    var out: [(path: String, contents: [UInt8])] = []
    var path = "policy.yaml"
    var current: [UInt8] = []
    var lineStart = 0
    while lineStart < bytes.count {
        let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.count
        let line = bytes[lineStart..<lineEnd]
        if let name = markerName(line) {
            if !current.isEmpty || path != "policy.yaml" { out.append((path, current)) }
            path = name
            current = []
        } else {
            current.append(contentsOf: line)
        }
        lineStart = lineEnd
    }
    out.append((path, current))
    return out
}

/// Lines as YAML counts them: it breaks lines at CR LF, a lone CR, LF, and (YAML 1.1, which
/// libyaml follows) NEL, LS and PS.
func yamlLineCount(_ bytes: [UInt8]) -> Int {
    var lines = 1
    var i = 0
    while i < bytes.count {
        switch bytes[i] {
        case UInt8(ascii: "\r"):
            lines += 1
            if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
        case UInt8(ascii: "\n"):
            lines += 1
        case 0xC2 where i + 1 < bytes.count && bytes[i + 1] == 0x85:
            lines += 1
        case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
            lines += 1
        default:
            break
        }
        i += 1
    }
    return lines
}

let compiler = PolicyCompiler(expressionCompiler: CELExpressionCompiler())

runFuzzer { bytes in
    let input = files(bytes)
    let load = PolicyLoader.load(files: input)
    let result = compiler.compile(load)
    fuzzInvariant((result.policySet != nil) == result.diagnostics.isEmpty,
                  "policy set \(result.policySet == nil ? "missing" : "present") with \(result.diagnostics.count) diagnostics")
    var lineCounts: [String: Int] = [:]
    for file in input {
        lineCounts[file.path] = max(lineCounts[file.path] ?? 0, yamlLineCount(file.contents))
    }
    for d in result.diagnostics where d.line > 0 {
        // Schema files are named relative to _schemas/, as `cerbos:///` references name them.
        let lines = lineCounts[d.file] ?? lineCounts["_schemas/" + d.file]
        // libyaml puts the end of a stream whose last line lacks a newline on a line of its own, so
        // an error at the end of such a file names the line after the last.
        fuzzInvariant(lines.map { d.line <= $0 + 1 } ?? false, "diagnostic outside the input: \(d)")
    }
    let sources = Dictionary(input.map { ($0.path, String(decoding: $0.contents, as: UTF8.self)) }, uniquingKeysWith: { a, _ in a })
    _ = DiagnosticRenderer(sourceProvider: { sources[$0] }).render(result.diagnostics)
}
