import Atomics

/// Process-wide connection counts kept by `ConnectionListener` for the metrics: one relaxed
/// atomic add per connection opened, closed or refused, read by `ServerMetrics` when scraped.
public enum ListenerCounters {
    static let open = ManagedAtomic<Int>(0)
    static let refused = ManagedAtomic<UInt64>(0)

    /// Client connections open now, over every listener.
    public static var openConnections: Int { open.load(ordering: .relaxed) }
    /// Connections closed at once because the peer was not in the allow-lists or its
    /// credentials could not be read.
    public static var refusedPeers: UInt64 { refused.load(ordering: .relaxed) }

    static func opened() { open.wrappingIncrement(ordering: .relaxed) }
    static func closed() { open.wrappingDecrement(ordering: .relaxed) }
    static func refusedPeer() { refused.wrappingIncrement(ordering: .relaxed) }
}
