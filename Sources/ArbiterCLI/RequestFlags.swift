import ArbiterClient
import ArbiterJSON
import ArgumentParser
import CEL

/// The flags `arbiter check` and `arbiter plan` share: the socket, a request file, or a
/// principal and resource described on the command line.
struct RequestFlags: ParsableArguments {
    @Option(name: .long, help: "The daemon's socket.")
    var socket: String = CLIDefaults.socketPath

    @Option(name: .long, help: "A file with the request body (Cerbos's JSON); - reads stdin.")
    var request: String?

    @Option(name: .long, help: "Principal id.") var principal: String?
    @Option(name: .customLong("role"), help: "Principal role (repeat for several).") var roles: [String] = []
    @Option(name: .customLong("principal-attr"), help: "key=value principal attribute (repeatable).") var principalAttrs: [String] = []
    @Option(name: .long, help: "Resource kind.") var kind: String?
    @Option(name: .customLong("resource-attr"), help: "key=value resource attribute (repeatable).") var resourceAttrs: [String] = []
    @Option(name: .customLong("action"), help: "Action (repeatable).") var actions: [String] = []
    @Option(name: .long, help: "Principal and resource scope.") var scope: String?
    @Flag(name: .long, help: "Print the response body as JSON.") var json = false

    /// The request file's body, or nil when the request is described with flags, which must
    /// then name a principal, a role, a kind and an action.
    func fileBody() throws -> Value? {
        if let path = request { return try Self.body(from: path) }
        guard principal != nil, kind != nil, !actions.isEmpty, !roles.isEmpty else {
            throw ValidationError("give --request FILE, or --principal, --role, --kind and --action")
        }
        return nil
    }

    /// The principal and resource objects the flags describe (`resource` without an id).
    func principalAndResource() throws -> (principal: Value, resource: [(String, Value)]) {
        var p: [(String, Value)] = [("id", .string(principal ?? "")), ("roles", .list(roles.map { .string($0) }))]
        var r: [(String, Value)] = [("kind", .string(kind ?? ""))]
        p.append(("attr", try Self.attributes(principalAttrs, flag: "--principal-attr")))
        r.append(("attr", try Self.attributes(resourceAttrs, flag: "--resource-attr")))
        if let scope { p.append(("scope", .string(scope))); r.append(("scope", .string(scope))) }
        return (.map(MapValue(stringKeyed: p)), r)
    }

    /// Sends `body` as `method` to the daemon and prints the result, rendered by `render` or
    /// as JSON with `--json`; a failure is printed and exits 1.
    func send(_ method: String, _ body: Value, command: String, render: (Value) -> String) async throws {
        let socket = self.socket
        let response: Value
        do {
            response = try await withTimeout(seconds: 10) {
                let client = try await ArbiterClient.connect(path: socket)
                defer { Task { await client.close() } }
                return try await client.call(method, params: body)
            }
        } catch {
            printError("arbiter \(command): \(describeDaemonFailure(error, socket: socket))")
            throw ExitCode(ExitStatus.failure)
        }
        print(json ? try JSONWriter.encodeString(response) : render(response))
    }

    /// The JSON request body in `path` (`-` for stdin).
    static func body(from path: String) throws -> Value {
        let bytes: [UInt8]
        do { bytes = try readAll(path == "-" ? nil : path) } catch {
            throw ValidationError("cannot read \(path): \(error)")
        }
        do { return try JSONReader.parse(bytes) } catch {
            throw ValidationError("\(path): \(error)")
        }
    }

    /// `key=value` pairs as an attribute object; values are JSON when they parse as JSON, else
    /// plain strings.
    static func attributes(_ pairs: [String], flag: String) throws -> Value {
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
}
