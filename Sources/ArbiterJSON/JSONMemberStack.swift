/// The members of the containers being parsed, innermost last, in memory the parser owns.
///
/// A finished container takes its members into its own array in one bulk copy; an `Array` used
/// as the stack paid for bounds, uniqueness and capacity checks on every push and pop, and
/// `removeSubrange` on every container.
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
