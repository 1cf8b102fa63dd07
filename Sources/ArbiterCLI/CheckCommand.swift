import ArbiterClient
import ArbiterJSON
import ArgumentParser
import CEL
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

    @Option(name: .long, help: "The daemon's socket.")
    var socket: String = CLIDefaults.socketPath

    @Option(name: .long, help: "A file with the CheckResources request body (JSON); - reads stdin.")
    var request: String?

    @Option(name: .long, help: "Principal id.") var principal: String?
    @Option(name: .customLong("role"), help: "Principal role (repeat for several).") var roles: [String] = []
    @Option(name: .customLong("principal-attr"), help: "key=value principal attribute (repeatable).") var principalAttrs: [String] = []
    @Option(name: .long, help: "Resource kind.") var kind: String?
    @Option(name: .customLong("resource-id"), help: "Resource id.") var resourceID: String = "1"
    @Option(name: .customLong("resource-attr"), help: "key=value resource attribute (repeatable).") var resourceAttrs: [String] = []
    @Option(name: .customLong("action"), help: "Action to check (repeatable).") var actions: [String] = []
    @Option(name: .long, help: "Principal and resource scope.") var scope: String?
    @Flag(name: .long, help: "Print the response body as JSON.") var json = false

    func run() async throws {
        let body = try buildRequest()
        let socket = self.socket
        let response: Value
        do {
            response = try await withTimeout(seconds: 10) {
                let client = try await ArbiterClient.connect(path: socket)
                defer { Task { await client.close() } }
                return try await client.checkResources(body)
            }
        } catch {
            printError("arbiter check: \(describeDaemonFailure(error, socket: socket))")
            throw ExitCode(1)
        }
        if json {
            print(try JSONWriter.encodeString(response))
        } else {
            print(CheckCommand.render(response))
        }
    }

    func buildRequest() throws -> Value {
        if let path = request {
            let bytes: [UInt8]
            do { bytes = try readAll(path == "-" ? nil : path) } catch {
                throw ValidationError("cannot read \(path): \(error)")
            }
            do { return try JSONReader.parse(bytes) } catch {
                throw ValidationError("\(path): \(error)")
            }
        }
        guard let principal, let kind, !actions.isEmpty, !roles.isEmpty else {
            throw ValidationError("give --request FILE, or --principal, --role, --kind and --action")
        }
        var p: [(String, Value)] = [("id", .string(principal)), ("roles", .list(roles.map { .string($0) }))]
        var r: [(String, Value)] = [("kind", .string(kind)), ("id", .string(resourceID))]
        p.append(("attr", try attributes(principalAttrs, flag: "--principal-attr")))
        r.append(("attr", try attributes(resourceAttrs, flag: "--resource-attr")))
        if let scope { p.append(("scope", .string(scope))); r.append(("scope", .string(scope))) }
        let entry = Value.map(MapValue(stringKeyed: [
            ("actions", .list(actions.map { .string($0) })), ("resource", .map(MapValue(stringKeyed: r))),
        ]))
        return .map(MapValue(stringKeyed: [
            ("requestId", .string("arbiter-check")), ("principal", .map(MapValue(stringKeyed: p))), ("resources", .list([entry])),
        ]))
    }

    private func attributes(_ pairs: [String], flag: String) throws -> Value {
        var out: [(String, Value)] = []
        for pair in pairs {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw ValidationError("\(flag) \(pair): expected key=value")
            }
            let key = String(pair[..<eq]), raw = String(pair[pair.index(after: eq)...])
            let value = (try? JSONReader.parse(raw)) ?? .string(raw) // not JSON: a plain string, by design
            out.append((key, value))
        }
        return .map(MapValue(stringKeyed: out))
    }

    /// `resource kind/id: action EFFECT_ALLOW` lines, in response order.
    static func render(_ response: Value) -> String {
        guard case let .list(results)? = response.field("results") else { return "no results" }
        var lines: [String] = []
        for result in results {
            let kind = result.field("resource")?.field("kind")?.stringValue ?? "?"
            let id = result.field("resource")?.field("id")?.stringValue ?? "?"
            lines.append("\(kind)/\(id)")
            if case let .map(actions)? = result.field("actions") {
                for (key, effect) in actions.storage {
                    if case let .string(action) = key { lines.append("  \(action): \(effect.stringValue ?? "?")") }
                }
            }
            if case let .list(outputs)? = result.field("outputs"), !outputs.isEmpty {
                for output in outputs {
                    let src = output.field("src")?.stringValue ?? "?"
                    let val = output.field("val").flatMap { try? JSONWriter.encodeString($0) } ?? "null"
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
