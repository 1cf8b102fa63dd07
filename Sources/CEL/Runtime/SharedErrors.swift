import Synchronization

/// Error values that a plan node makes at their first use and then hands out again: a miss on
/// an optional attribute repeats on every request, and formatting the message and boxing the
/// error each time would allocate. A node whose errors are never needed allocates nothing.
///
/// The values are published through an atomic reference, so concurrent evaluations of one
/// program may both make them; one set wins and the other is dropped.
struct SharedErrors: ~Copyable, @unchecked Sendable { // published once through an atomic, immutable after
    private final class Storage {
        let values: [Value]
        init(_ values: [Value]) { self.values = values }
    }

    private let storage = Atomic<Unmanaged<Storage>?>(nil)

    init() {}

    deinit { storage.load(ordering: .acquiring)?.release() }

    /// The value at `index` of the values that `make` builds (called at most once per racing
    /// evaluation, always with the same result).
    func value(_ index: Int, make: () -> [Value]) -> Value {
        if let shared = storage.load(ordering: .acquiring) {
            return shared._withUnsafeGuaranteedRef { $0.values[index] }
        }
        let made = Unmanaged.passRetained(Storage(make()))
        let (exchanged, current) = storage.compareExchange(expected: nil, desired: made, ordering: .acquiringAndReleasing)
        if exchanged { return made._withUnsafeGuaranteedRef { $0.values[index] } }
        made.release()
        return current!._withUnsafeGuaranteedRef { $0.values[index] }
    }
}
