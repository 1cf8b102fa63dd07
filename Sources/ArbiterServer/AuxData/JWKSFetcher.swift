import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Fetches a remote JWKS document over HTTP(S) with Foundation's URLSession (libcurl on
/// Linux): https with the system's CA store, no extra package to build. Only the key set
/// refresher calls it, never a decision.
struct JWKSFetcher: Sendable {
    /// How long one fetch may take.
    var timeout: Duration = .seconds(10)

    struct FetchError: Error, CustomStringConvertible {
        var description: String
    }

    /// A 200 response: the document and how long its server says it stays fresh.
    struct Fetched: Sendable {
        var body: [UInt8]
        /// From `Cache-Control: max-age` or `Expires` (`HTTPCacheLifetime`); nil when neither says.
        var freshFor: Duration?
    }

    /// The body of a 200 response from `url`, with its cache lifetime.
    func fetch(_ url: String) async throws -> Fetched {
        guard let target = URL(string: url) else { throw FetchError(description: "invalid URL \(url)") }
        var request = URLRequest(url: target)
        request.timeoutInterval = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.cachePolicy = .reloadIgnoringLocalCacheData
        let (data, response) = try await Self.session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw FetchError(description: "\(url): not an HTTP response") }
        guard http.statusCode == 200 else { throw FetchError(description: "\(url): HTTP status \(http.statusCode)") }
        let lifetime = HTTPCacheLifetime(cacheControl: http.value(forHTTPHeaderField: "Cache-Control"),
                                         expires: http.value(forHTTPHeaderField: "Expires"),
                                         date: http.value(forHTTPHeaderField: "Date"))
        return Fetched(body: [UInt8](data), freshFor: lifetime.freshFor)
    }

    /// One session for all fetches, without a disk or memory cache: a refresh must see the
    /// server's current keys.
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        return URLSession(configuration: configuration)
    }()
}
