/// The members of the containers being parsed, innermost last, in memory the parser owns.
///
/// A finished container moves its members out into its own array: no retain and release per
/// member. An `Array` used as the stack copied each member in and out and destroyed the stack's
/// copies, which was a third of the time spent parsing a CheckResources request.
struct JSONMemberStack<Element> {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// Elements currently on the stack.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 4)
        base = .allocate(capacity: self.capacity)
    }

    /// The element at `i` (below `count`).
    subscript(i: Int) -> Element { base[i] }

    mutating func push(_ element: Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count += 1
    }

    /// Moves the elements from `first` up out of the stack, in order.
    mutating func pop(from first: Int) -> ContiguousArray<Element> {
        let n = count - first
        let source = base + first
        let out = ContiguousArray<Element>(unsafeUninitializedCapacity: n) { buffer, initialized in
            if n > 0 { buffer.baseAddress!.moveInitialize(from: source, count: n) }
            initialized = n
        }
        count = first
        return out
    }

    /// Frees the memory, destroying whatever an error left on the stack. Call exactly once.
    func release() {
        base.deinitialize(count: count)
        base.deallocate()
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }
}
