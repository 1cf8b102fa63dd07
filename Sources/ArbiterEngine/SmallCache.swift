/// A per-request map from small integer ids (rule, derived-role or parameter-block ids) to
/// values. A request reaches a handful of ids, so the first `inlineCapacity` entries live in an
/// inline array on the stack and are found by a linear scan: no heap buffer for the common case,
/// which saves the allocation (and regrowth) an `Array` cache cost per request.
struct SmallCache<Element> {
    static var inlineCapacity: Int { 8 }
    private var ids = InlineArray<8, Int>(repeating: -1)
    private var values: InlineArray<8, Element>
    private var count = 0
    /// Entries beyond the inline ones, for the rare request that reaches many.
    private var spill: [(id: Int, value: Element)] = []

    /// `placeholder` fills the unused inline slots.
    init(placeholder: Element) {
        values = InlineArray(repeating: placeholder)
    }

    func value(for id: Int) -> Element? {
        let inline = min(count, Self.inlineCapacity)
        for i in 0..<inline where ids[i] == id { return values[i] }
        if count > Self.inlineCapacity {
            for entry in spill where entry.id == id { return entry.value }
        }
        return nil
    }

    /// Adds an entry; the caller has checked that `id` is absent.
    mutating func insert(_ value: Element, for id: Int) {
        if count < Self.inlineCapacity {
            ids[count] = id
            values[count] = value
        } else {
            spill.append((id, value))
        }
        count += 1
    }
}
