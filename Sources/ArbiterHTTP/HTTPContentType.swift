import NIOHTTP1

/// Which request bodies are read as JSON.
enum HTTPContentType {
    /// Bodies that are clearly not JSON are refused with 415; a missing type, JSON types, and
    /// the form and text types curl and some clients send by default are read as JSON, as
    /// Cerbos's gateway reads any body it is given.
    static func problem(_ headers: HTTPHeaders) -> GatewayError? {
        guard let raw = headers.first(name: "content-type") else { return nil }
        if raw == "application/json" { return nil }
        var type = Substring(raw.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        while type.first == " " || type.first == "\t" { type.removeFirst() }
        while type.last == " " || type.last == "\t" { type.removeLast() }
        let lower = type.lowercased()
        if lower.isEmpty || lower == "application/json" || lower.hasSuffix("+json") || lower == "application/x-www-form-urlencoded"
            || lower == "text/plain" || lower == "*/*" {
            return nil
        }
        return .unsupportedMediaType(raw)
    }
}
