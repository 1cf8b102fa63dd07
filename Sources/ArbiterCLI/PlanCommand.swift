import ArbiterClient
import ArbiterEngine
import ArbiterJSON
import ArgumentParser
import CEL

/// `arbiter plan`: sends one PlanResources request to the daemon and prints the filter as an
/// s-expression (Cerbos's `filterDebug` form), or with `--json` the whole response.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Ask the daemon which resources of a kind a principal may act on; print the filter.",
        discussion: """
        Give the Cerbos PlanResources request body in a file (--request FILE, - for stdin), or
        describe the principal and the resource kind with flags:
          arbiter plan --principal alice --role user --kind document --action view
        Resource attributes given with --resource-attr are known and folded into the filter;
        the others stay variables. Attribute values are parsed as JSON when they are valid JSON,
        else taken as strings. Several --action flags plan resources allowing all of them.
        """
    )

    @Option(name: .long, help: "The daemon's socket.")
    var socket: String = CLIDefaults.socketPath

    @Option(name: .long, help: "A file with the PlanResources request body (JSON); - reads stdin.")
    var request: String?

    @Option(name: .long, help: "Principal id.") var principal: String?
    @Option(name: .customLong("role"), help: "Principal role (repeat for several).") var roles: [String] = []
    @Option(name: .customLong("principal-attr"), help: "key=value principal attribute (repeatable).") var principalAttrs: [String] = []
    @Option(name: .long, help: "Resource kind.") var kind: String?
    @Option(name: .customLong("resource-attr"), help: "key=value known resource attribute (repeatable).") var resourceAttrs: [String] = []
    @Option(name: .customLong("action"), help: "Action to plan (repeatable).") var actions: [String] = []
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
                return try await client.planResources(body)
            }
        } catch {
            printError("arbiter plan: \(error)")
            throw ExitCode(1)
        }
        if json {
            print(try JSONWriter.encodeString(response))
        } else {
            print(PlanCommand.render(response))
        }
    }

    func buildRequest() throws -> Value {
        if let path = request { return try RequestFlags.body(from: path) }
        guard let principal, let kind, !actions.isEmpty, !roles.isEmpty else {
            throw ValidationError("give --request FILE, or --principal, --role, --kind and --action")
        }
        var p: [(String, Value)] = [("id", .string(principal)), ("roles", .list(roles.map { .string($0) }))]
        var r: [(String, Value)] = [("kind", .string(kind))]
        p.append(("attr", try RequestFlags.attributes(principalAttrs, flag: "--principal-attr")))
        r.append(("attr", try RequestFlags.attributes(resourceAttrs, flag: "--resource-attr")))
        if let scope { p.append(("scope", .string(scope))); r.append(("scope", .string(scope))) }
        return .map(MapValue(stringKeyed: [
            ("requestId", .string("arbiter-plan")), ("includeMeta", .bool(true)), ("principal", .map(MapValue(stringKeyed: p))),
            ("resource", .map(MapValue(stringKeyed: r))), ("actions", .list(actions.map { .string($0) })),
        ]))
    }

    /// The filter as an s-expression: `meta.filterDebug` when the response has it, otherwise
    /// rebuilt from `filter`.
    static func render(_ response: Value) -> String {
        if let debug = response.field("meta")?.field("filterDebug")?.stringValue { return debug }
        guard let filter = response.field("filter") else { return "no filter in the response" }
        switch filter.field("kind")?.stringValue {
        case PlanFilter.Kind.alwaysAllowed.rawValue?: return PlanFilter(kind: .alwaysAllowed).debugString
        case PlanFilter.Kind.alwaysDenied.rawValue?: return PlanFilter(kind: .alwaysDenied).debugString
        default:
            guard let condition = filter.field("condition") else { return "no condition in the filter" }
            do {
                return PlanFilter(kind: .conditional, condition: try PlanOperand(from: condition)).debugString
            } catch {
                return "malformed filter condition: \(error)"
            }
        }
    }
}
