import ArbiterClient
import ArbiterJSON
import ArgumentParser
import CEL
import OrderedCollections
#if canImport(Glibc)
import Glibc
#endif

/// `arbiter check`: sends one CheckResources request to the daemon and prints the decisions,
/// for people trying out policies against a running daemon.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Ask the daemon for a decision and print it.",
        usage: """
        arbiter check [--socket PATH] --request FILE [--json]
          arbiter check [--socket PATH] --principal ID --role ROLE... --kind KIND
                        [--resource-id ID] [--principal-attr K=V...]
                        [--resource-attr K=V...] [--scope S] --action A...
                        [--json]
        """,
        discussion: """
        Give the Cerbos CheckResources request body in a file (--request FILE, - for \
        stdin), or describe one principal and one resource with flags, for example:

          arbiter check --principal alice --role user --kind document \\
              --resource-id d1 --resource-attr owner=alice \\
              --action view --action edit

        Attribute values are parsed as JSON when they are valid JSON, else taken as \
        strings. Exit status: 0 answered; 1 the daemon could not be reached or refused the \
        request; 2 usage error.
        """
    )

    @OptionGroup var flags: RequestFlags
    @Option(name: .customLong("resource-id"), help: "Resource id.") var resourceID: String = "1"

    func run() async throws {
        try await flags.send("CheckResources", try buildRequest(), command: "check", render: CheckCommand.render)
    }

    func buildRequest() throws -> Value {
        if let body = try flags.fileBody() { return body }
        var (principal, resource) = try flags.principalAndResource()
        resource.insert(("id", .string(resourceID)), at: 1)
        let entry = Value.map(MapValue(stringKeyed: [
            ("actions", .list(flags.actions.map { .string($0) })), ("resource", .map(MapValue(stringKeyed: resource))),
        ]))
        return .map(MapValue(stringKeyed: [
            ("requestId", .string("arbiter-check")), ("principal", principal), ("resources", .list([entry])),
        ]))
    }

    /// `resource kind/id: action EFFECT_ALLOW` lines, in response order.
    static func render(_ response: Value) -> String {
        guard case let .list(results)? = response[member: "results"] else { return "no results" }
        var lines: [String] = []
        for result in results {
            let kind = result[member: "resource"]?[member: "kind"]?.jsonString ?? "?"
            let id = result[member: "resource"]?[member: "id"]?.jsonString ?? "?"
            lines.append("\(kind)/\(id)")
            if case let .map(actions)? = result[member: "actions"] {
                for (key, effect) in actions.storage {
                    if case let .string(action) = key { lines.append("  \(action): \(effect.jsonString ?? "?")") }
                }
            }
            if case let .list(outputs)? = result[member: "outputs"], !outputs.isEmpty {
                for output in outputs {
                    let src = output[member: "src"]?.jsonString ?? "?"
                    let val = output[member: "val"].flatMap { try? JSONWriter.encodeString($0) } ?? "null"
                    lines.append("  output \(src): \(val)")
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// Reads a whole file, or standard input when `path` is nil.
func readAll(_ path: String?) throws -> [UInt8] {
    let fd = path.map { open($0, O_RDONLY) } ?? STDIN_FILENO
    guard fd >= 0 else { throw POSIXFailure(call: "open", code: errno) }
    defer { if path != nil { close(fd) } }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 { if errno == EINTR { continue }; throw POSIXFailure(call: "read", code: errno) }
        if n == 0 { break }
        out.append(contentsOf: chunk[0..<n])
    }
    return out
}

struct POSIXFailure: Error, CustomStringConvertible {
    var call: String
    var code: Int32
    var description: String { "\(call): \(String(cString: strerror(code)))" }
}
