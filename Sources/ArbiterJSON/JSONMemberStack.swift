/// The members of the containers being parsed, innermost last, in memory the parser owns.
///
/// A finished container moves its members into its own array, so no member is copied and
/// released on the way; `Array`s used as the stacks copied every member in and out and
/// destroyed the stack's copies in `removeSubrange`. After an error `release` destroys what is
/// left. The parser is the only owner: it must not be copied while in use.
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

    /// Takes the elements from `first` up off the stack, in order.
    mutating func pop(from first: Int) -> [Element] {
        let n = count - first
        let source = base + first
        // Moved one by one into a reserved array: moving into `Array(unsafeUninitializedCapacity:)`
        // hit an unspecialized path that looked up generic metadata for every container, and a
        // bulk copy paid a copy and a destroy per member.
        var out: [Element] = []
        out.reserveCapacity(n)
        for i in 0..<n { out.append((source + i).move()) }
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
