import Synchronization

/// Tokens whose signature already verified, keyed by key set and the token's bytes, so a
/// repeated token costs one dictionary lookup instead of a signature check. Bounded: at
/// capacity the oldest entry goes. An entry is kept until its token's `exp` (at most
/// `maximumAge` for tokens without one); time claims are still checked on every hit, so a
/// cached token expires exactly as an uncached one would.
final class VerifiedTokenCache: Sendable {
    struct Key: Hashable {
        let keySetId: String
        let token: String
    }

    private struct Entry {
        let claims: JWTClaims
        let keepUntil: Int64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        /// Insertion order for eviction; `head` is the oldest live position.
        var order: [Key] = []
        var head = 0
    }

    /// Tokens without `exp` are re-verified after this many seconds (Cerbos: 10 minutes).
    static let maximumAge: Int64 = 600

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        precondition(capacity > 0, "a disabled cache is nil, not empty")
        self.capacity = capacity
    }

    /// The claims verified earlier for this token, if still kept at `now`.
    func claims(for key: Key, now: Int64) -> JWTClaims? {
        // A stale entry stays until evicted or overwritten: removing it here would leave its
        // key in `order`, and eviction could later drop a newer entry under the same key.
        state.withLock { s in
            guard let e = s.entries[key], now <= e.keepUntil else { return nil }
            return e.claims
        }
    }

    /// Remembers a verified token.
    func insert(_ claims: JWTClaims, for key: Key, now: Int64) {
        let keepUntil = claims.expiresAt ?? (now + Self.maximumAge)
        state.withLock { s in
            if s.entries.updateValue(Entry(claims: claims, keepUntil: keepUntil), forKey: key) != nil { return }
            s.order.append(key)
            while s.entries.count > capacity, s.head < s.order.count {
                s.entries[s.order[s.head]] = nil
                s.head += 1
            }
            // Compact the order list once its dead prefix outgrows the live part.
            if s.head > capacity {
                s.order.removeFirst(s.head)
                s.head = 0
            }
        }
    }

    /// Number of cached tokens.
    var count: Int { state.withLock { $0.entries.count } }
}
