// FuzzRequest: the CheckResources request decoders of ArbiterEngine on arbitrary bytes (the
// JSON-RPC `params` object).
//
// Two decoders read a request: `CheckResourcesRequest(json:)` straight from the bytes (the
// daemon's hot path) and `CheckResourcesRequest(from:)` on the parsed `Value` (the general path,
// which reports errors). Invariant: whenever the fast one answers, the general one accepts the
// same bytes and reads the same request.
import ArbiterEngine
import ArbiterJSON
import CEL
import FuzzSupport

let options = JSONReader.Options(maxDepth: 32)

/// Everything a request holds, as text (attribute maps in member order).
func render(_ r: CheckResourcesRequest) -> String {
    func json(_ v: Value) -> String { (try? JSONWriter.encodeString(v)) ?? "<unwritable \(v)>" }
    func object(_ head: String, _ attr: MapValue, _ version: String, _ scope: String) -> String {
        "\(head) attr=\(json(.map(attr))) v=\(version) s=\(scope)\n"
    }
    var out = "id=\(r.requestId) meta=\(r.includeMeta) aux=\(r.auxData.map(json) ?? "nil")\n"
    out += object("P \(r.principal.id) \(r.principal.roles)", r.principal.attr, r.principal.policyVersion, r.principal.scope)
    for e in r.resources {
        out += object("R \(e.actions) \(e.resource.kind) \(e.resource.id)", e.resource.attr, e.resource.policyVersion, e.resource.scope)
    }
    return out
}

runFuzzer { bytes in
    var cursor = JSONCursor(bytes, options: options)
    let fast = CheckResourcesRequest(json: &cursor).flatMap { cursor.isAtEnd() ? $0 : nil }
    let general: CheckResourcesRequest?
    let generalError: String
    do {
        general = try CheckResourcesRequest(from: JSONReader.parse(bytes, options: options))
        generalError = ""
    } catch {
        general = nil
        generalError = "\(error)"
    }
    guard let fast else { return }
    guard let general else {
        fuzzInvariant(false, "the fast decoder accepted a request the general path rejects: \(generalError)")
        return
    }
    let (a, b) = (render(fast), render(general))
    fuzzInvariant(a == b, "the decoders disagree:\nfast:\n\(a)general:\n\(b)")
}
