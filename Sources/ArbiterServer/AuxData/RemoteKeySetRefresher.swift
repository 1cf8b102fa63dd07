import ArbiterAuxData
import Logging
import ServiceLifecycle

/// Keeps the remote key sets current: fetches each at start, then again after its
/// `refreshInterval`, or, without one, after the lifetime the server's cache headers give (at
/// least `RemoteKeySet.minimumRefreshInterval`), off the request path. A failed fetch or a bad
/// document is logged and the previous keys stay; until the next good fetch, retries come
/// sooner (every `retryInterval` at most).
struct RemoteKeySetRefresher: Service {
    let keySets: [RemoteKeySet]
    let fetcher: JWKSFetcher
    let retryInterval: Duration
    let logger: Logger

    init(keySets: [RemoteKeySet], fetcher: JWKSFetcher = JWKSFetcher(), retryInterval: Duration = .seconds(30), logger: Logger) {
        self.keySets = keySets
        self.fetcher = fetcher
        self.retryInterval = retryInterval
        self.logger = logger
    }

    func run() async throws {
        await withDiscardingTaskGroup { group in
            for keySet in keySets {
                group.addTask { await refreshLoop(keySet) }
            }
            // Returns at graceful shutdown, or throws at cancellation: either way the loops
            // stop, their sleeps throwing on cancellation.
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }

    private func refreshLoop(_ keySet: RemoteKeySet) async {
        while !Task.isCancelled {
            let outcome = await refresh(keySet)
            let interval = keySet.nextRefresh(freshFor: outcome.freshFor)
            let wait = outcome.updated || keySet.keys != nil ? interval : min(interval, retryInterval)
            do { try await Task.sleep(for: wait) } catch { return }
        }
    }

    /// One fetch and parse: whether the key set now holds the fetched keys, and the cache
    /// lifetime the response gave.
    func refresh(_ keySet: RemoteKeySet) async -> (updated: Bool, freshFor: Duration?) {
        let metadata: Logger.Metadata = ["keySetID": "\(keySet.id)", "url": "\(keySet.url)"]
        let fetched: JWKSFetcher.Fetched
        do {
            fetched = try await fetcher.fetch(keySet.url)
        } catch {
            keySet.recordFailure("failed to fetch: \(error)")
            logger.warning("Error refreshing keyset; keeping the previous keys", metadata: metadata.merging(["error": "\(error)"]) { a, _ in a })
            return (false, nil)
        }
        do {
            let keys = try await keySet.update(document: fetched.body)
            logger.debug("Refreshed keyset", metadata: metadata.merging(["keys": "\(keys.count)"]) { a, _ in a })
            return (true, fetched.freshFor)
        } catch {
            logger.warning("Fetched keyset is invalid; keeping the previous keys", metadata: metadata.merging(["error": "\(error)"]) { a, _ in a })
            return (false, fetched.freshFor)
        }
    }
}
