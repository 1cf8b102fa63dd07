import GRPCCore
import NIOCore
import NIOHPACK

/// What a call's request HEADERS say, checked in grpc-go's order: a request that is not a
/// gRPC call (content type, method) or whose `grpc-timeout` cannot be read is refused before
/// its path is routed; a `grpc-encoding` this server cannot decode is UNIMPLEMENTED.
struct GRPCRequestHead {
    var method: GRPCMethod
    /// When the caller stops waiting (`grpc-timeout`), nil without one.
    var deadline: NIODeadline?

    /// Reads `headers` received at `now`.
    static func parse(_ headers: HPACKHeaders, now: NIODeadline = .now()) -> Result<GRPCRequestHead, GRPCCallError> {
        let contentType = headers.first(name: "content-type") ?? ""
        guard isGRPCContentType(contentType) else {
            return .failure(GRPCCallError(.invalidArgument, "invalid gRPC request content-type \(GRPCMethod.goQuoted(contentType))",
                                          httpStatus: 415))
        }
        var deadline: NIODeadline?
        if let timeout = headers.first(name: "grpc-timeout") {
            guard let amount = parseTimeout(timeout) else {
                return .failure(GRPCCallError(.internalError, "malformed grpc-timeout: \(GRPCMethod.goQuoted(timeout))", httpStatus: 400))
            }
            deadline = now + amount
        }
        let verb = headers.first(name: ":method") ?? ""
        guard verb == "POST" else {
            return .failure(GRPCCallError(.internalError, "http2Server.operateHeaders parsed a :method field: \(verb) which should be POST",
                                          httpStatus: 405))
        }
        let method: GRPCMethod
        switch GRPCMethod.route(headers.first(name: ":path") ?? "") {
        case let .success(m): method = m
        case let .failure(error): return .failure(error)
        }
        if let encoding = headers.first(name: "grpc-encoding"), encoding != "identity", !encoding.isEmpty {
            // No decompressor is installed: grpc-go's answer before the message is read. So every
            // call this server takes is uncompressed (`GRPCMessageReader` refuses the flag).
            return .failure(GRPCCallError(.unimplemented, "grpc: Decompressor is not installed for grpc-encoding \(GRPCMethod.goQuoted(encoding))"))
        }
        return .success(GRPCRequestHead(method: method, deadline: deadline))
    }

    /// `application/grpc`, alone or with a `+subtype` or `;parameters`, as grpc-go accepts it.
    static func isGRPCContentType(_ value: String) -> Bool {
        let lower = value.lowercased()
        guard lower.hasPrefix("application/grpc") else { return false }
        let rest = lower.dropFirst("application/grpc".count)
        return rest.isEmpty || rest.first == "+" || rest.first == ";"
    }

    /// `grpc-timeout`: 1 to 8 ASCII digits and a unit (H, M, S, m, u, n).
    static func parseTimeout(_ value: String) -> TimeAmount? {
        let bytes = Array(value.utf8)
        guard bytes.count >= 2, bytes.count <= 9 else { return nil }
        var n: Int64 = 0
        for b in bytes.dropLast() {
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            n = n * 10 + Int64(b - UInt8(ascii: "0"))
        }
        switch bytes.last! {
        case UInt8(ascii: "H"): return .hours(n)
        case UInt8(ascii: "M"): return .minutes(n)
        case UInt8(ascii: "S"): return .seconds(n)
        case UInt8(ascii: "m"): return .milliseconds(n)
        case UInt8(ascii: "u"): return .microseconds(n)
        case UInt8(ascii: "n"): return .nanoseconds(n)
        default: return nil
        }
    }
}
