import Synchronization

/// A key set fetched from `remote.url`. The fetching is the server's (off the request path);
/// this holds the last keys that parsed, so a failed or bad fetch never takes good keys away,
/// and a decision only ever reads what is already here.
public final class RemoteKeySet: Sendable {
    /// `id` of the key set.
    public let id: String
    /// `remote.url`.
    public let url: String
    /// `remote.refreshInterval` when configured; nil lets the server's cache headers decide.
    public let configuredRefreshInterval: Duration?
    let optionalAlg: Bool
    let optionalKid: Bool

    private struct State {
        var keys: JWTKeySet?
        var lastError: String?
    }

    private let state = Mutex(State())

    /// The shortest wait between fetches of a key set without `refreshInterval`, and the wait
    /// when the server sends no cache lifetime (as Cerbos's JWKS cache does).
    public static let minimumRefreshInterval: Duration = .seconds(15 * 60)

    init(id: String, url: String, refreshInterval: Duration?, optionalAlg: Bool, optionalKid: Bool) {
        self.id = id
        self.url = url
        configuredRefreshInterval = refreshInterval
        self.optionalAlg = optionalAlg
        self.optionalKid = optionalKid
    }

    /// How long to wait before the next fetch after one whose response said its document stays
    /// fresh for `freshFor` (Cache-Control `max-age` or `Expires`; nil when it said nothing):
    /// the configured `refreshInterval` when there is one, otherwise the server's lifetime but
    /// never less than `minimumRefreshInterval`.
    public func nextRefresh(freshFor: Duration?) -> Duration {
        if let configuredRefreshInterval { return configuredRefreshInterval }
        return max(freshFor ?? Self.minimumRefreshInterval, Self.minimumRefreshInterval)
    }

    /// Parses a fetched document and, if it is a valid key set, makes it current. A bad
    /// document is recorded as the last error and the previous keys stay.
    @discardableResult
    public func update(document: [UInt8]) async throws(KeySetError) -> JWTKeySet {
        do {
            let keys = try await JWTKeySet.load(document, pem: false, optionalAlg: optionalAlg, optionalKid: optionalKid)
            state.withLock { $0 = State(keys: keys, lastError: nil) }
            return keys
        } catch {
            recordFailure(error.message)
            throw error
        }
    }

    /// Records a failed fetch; the previous keys stay.
    public func recordFailure(_ message: String) {
        state.withLock { $0.lastError = message }
    }

    /// The keys in use, or nil before the first good fetch.
    public var keys: JWTKeySet? { state.withLock { $0.keys } }

    /// The last fetch or parse error since the last good fetch, if any.
    public var lastError: String? { state.withLock { $0.lastError } }

    /// The keys for a decision; before the first good fetch, Cerbos's lookup error with the cause.
    func current() throws(KeySetError) -> JWTKeySet {
        let s = state.withLock { $0 }
        if let keys = s.keys { return keys }
        throw KeySetError("failed to look up remote keyset \(url): \(s.lastError ?? "not fetched yet")")
    }
}
