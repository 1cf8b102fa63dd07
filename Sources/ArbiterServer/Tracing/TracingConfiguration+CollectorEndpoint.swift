extension TracingConfiguration {
    /// Why `endpoint` cannot be `tracing.otlp.collectorEndpoint`, or nil when it can.
    ///
    /// Accepted: Cerbos's form, a gRPC target `host:port` (a bracketed IPv6 address for an IPv6
    /// host), or an `http://` / `https://` URL with a host (the port may then be left to the
    /// scheme's). Checked when the configuration is read, so that a typo is a configuration
    /// error naming the key rather than an exporter that fails to connect once the daemon runs.
    public static func collectorEndpointProblem(_ endpoint: String) -> String? {
        if endpoint.isEmpty { return "must not be empty; leave the key out for the exporter's default" }
        if endpoint.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }) {
            return "\"\(endpoint)\" contains white space or a control character"
        }
        var authority = Substring(endpoint)
        var hasScheme = false
        if let separator = endpoint.firstRange(of: "://") {
            let scheme = endpoint[..<separator.lowerBound].lowercased()
            guard scheme == "http" || scheme == "https" else {
                return "\"\(endpoint)\" has the scheme \"\(scheme)\"; write host:port, or an http:// or https:// URL"
            }
            authority = endpoint[separator.upperBound...]
            if let end = authority.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { authority = authority[..<end] }
            hasScheme = true
        }
        if authority.contains("@") { return "\"\(endpoint)\" carries user information; put credentials in OTEL_EXPORTER_OTLP_HEADERS" }
        let host: Substring
        let port: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return "\"\(endpoint)\" has an IPv6 address without its closing ]" }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.isEmpty {
                port = nil
            } else if after.first == ":" {
                port = after.dropFirst()
            } else {
                return "\"\(endpoint)\" has text after its IPv6 address; write [address]:port"
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            port = authority[authority.index(after: colon)...]
            if host.contains(":") { return "\"\(endpoint)\" looks like an IPv6 address; write it in brackets, [address]:port" }
        } else {
            host = authority
            port = nil
        }
        if host.isEmpty { return "\"\(endpoint)\" has no host" }
        if let port {
            guard port.allSatisfy(\.isASCII), let number = Int(port), (1...65_535).contains(number) else {
                return "\"\(endpoint)\" has the port \"\(port)\"; a port is a number from 1 to 65535"
            }
        } else if !hasScheme {
            return "\"\(endpoint)\" has no port; write host:port (a gRPC target, as Cerbos takes), e.g. localhost:4317"
        }
        return nil
    }
}
