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

    @OptionGroup var flags: RequestFlags

    func run() async throws {
        try await flags.send("PlanResources", try buildRequest(), command: "plan", render: PlanCommand.render)
    }

    func buildRequest() throws -> Value {
        if let body = try flags.fileBody() { return body }
        let (principal, resource) = try flags.principalAndResource()
        return .map(MapValue(stringKeyed: [
            ("requestId", .string("arbiter-plan")), ("includeMeta", .bool(true)), ("principal", principal),
            ("resource", .map(MapValue(stringKeyed: resource))), ("actions", .list(flags.actions.map { .string($0) })),
        ]))
    }

    /// The filter as an s-expression: `meta.filterDebug` when the response has it, otherwise
    /// rebuilt from `filter`.
    static func render(_ response: Value) -> String {
        if let debug = response[member: "meta"]?[member: "filterDebug"]?.jsonString { return debug }
        guard let filter = response[member: "filter"] else { return "no filter in the response" }
        switch filter[member: "kind"]?.jsonString {
        case PlanFilter.Kind.alwaysAllowed.rawValue?: return PlanFilter(kind: .alwaysAllowed).debugString
        case PlanFilter.Kind.alwaysDenied.rawValue?: return PlanFilter(kind: .alwaysDenied).debugString
        default:
            guard let condition = filter[member: "condition"] else { return "no condition in the filter" }
            do {
                return PlanFilter(kind: .conditional, condition: try PlanOperand(from: condition)).debugString
            } catch {
                return "malformed filter condition: \(error)"
            }
        }
    }
}
