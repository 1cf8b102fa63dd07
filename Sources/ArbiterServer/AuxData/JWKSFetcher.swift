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

    /// The body of a 200 response from `url`.
    func fetch(_ url: String) async throws -> [UInt8] {
        guard let target = URL(string: url) else { throw FetchError(description: "invalid URL \(url)") }
        var request = URLRequest(url: target)
        request.timeoutInterval = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.cachePolicy = .reloadIgnoringLocalCacheData
        let (data, response) = try await Self.session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw FetchError(description: "\(url): not an HTTP response") }
        guard http.statusCode == 200 else { throw FetchError(description: "\(url): HTTP status \(http.statusCode)") }
        return [UInt8](data)
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
