import ArbiterServer
import NIOCore
import NIOHTTP1

/// One whole HTTP request as the API sees it: method, target, headers and the body read so far
/// (complete, and within the size limit).
public struct HTTPAPIRequest: Sendable {
    /// The method.
    public var method: HTTPMethod
    /// The request target as sent (`/api/check/resources?pretty`).
    public var uri: String
    /// The headers.
    public var headers: HTTPHeaders
    /// The body; empty when none was sent.
    public var body: ByteBuffer
    /// The connection's peer, for the audit log; nil when auditing is off.
    public var peer: AuditPeer?

    /// Creates a request.
    public init(method: HTTPMethod, uri: String, headers: HTTPHeaders = HTTPHeaders(), body: ByteBuffer = ByteBuffer()) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
    }

    /// The target's path, before any `?`.
    public var path: Substring {
        guard let q = uri.firstIndex(of: "?") else { return Substring(uri) }
        return uri[..<q]
    }

    /// The value of query parameter `name` (percent-decoded, `+` as space), "" for a bare
    /// `?name`, nil when absent.
    public func queryValue(_ name: String) -> String? {
        guard let q = uri.firstIndex(of: "?") else { return nil }
        for pair in uri[uri.index(after: q)...].split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard Self.percentDecoded(parts[0]) == name else { continue }
            return parts.count > 1 ? Self.percentDecoded(parts[1]) : ""
        }
        return nil
    }

    /// Whether the response should be indented (`?pretty`, as Cerbos's gateway).
    public var wantsPretty: Bool { queryValue("pretty") != nil }

    static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var it = text.utf8.makeIterator()
        while let b = it.next() {
            switch b {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                if let h = it.next(), let l = it.next(), let hi = hexValue(h), let lo = hexValue(l) {
                    bytes.append(hi << 4 | lo)
                } else {
                    bytes.append(b)
                }
            default: bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// One whole HTTP response: status, extra headers and a JSON body.
public struct HTTPAPIResponse: Sendable {
    /// The status.
    public var status: HTTPResponseStatus
    /// Headers besides Content-Type and Content-Length (`Allow` for 405).
    public var headers: [(String, String)]
    /// The body, JSON unless `contentType` says otherwise.
    public var body: [UInt8]
    /// The Content-Type header.
    public var contentType = HTTPAPIResponse.json
    /// `application/json`, what every endpoint but the metrics answers.
    public static let json = "application/json"

    /// Creates a response.
    public init(status: HTTPResponseStatus = .ok, headers: [(String, String)] = [], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The error's gateway body, status and headers.
    public init(_ error: GatewayError) {
        self.init(status: error.status, headers: error.headers, body: error.body)
    }

    /// The body as text (tests, logs).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
