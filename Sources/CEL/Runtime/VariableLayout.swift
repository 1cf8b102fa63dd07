/// The slot numbering of declared variables: planned programs read variables by slot, so an
/// evaluation does no string hashing for them. Shared, immutable, by environment.
public final class VariableLayout: Sendable {
    /// Variable names in slot order.
    public let names: [String]
    private let slotsByName: [String: Int]

    public init(names: [String]) {
        var unique: [String] = []
        var slots: [String: Int] = [:]
        for n in names where slots[n] == nil {
            slots[n] = unique.count
            unique.append(n)
        }
        self.names = unique
        self.slotsByName = slots
    }

    /// The slot of `name`, or nil when it is not declared.
    public func slot(of name: String) -> Int? { slotsByName[name] }
    /// Number of slots.
    public var count: Int { names.count }
}
