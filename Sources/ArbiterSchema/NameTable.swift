#if canImport(Glibc)
import Glibc
#endif

/// A fixed set of strings (property names, string `enum` values) found by their UTF-8 bytes:
/// an open-addressed table hashed with FNV-1a, built once when a schema compiles.
///
/// A Swift `Dictionary<String, Int>` hashes with SipHash and compares strings by canonical
/// equivalence; JSON names compare by code point, so bytes suffice, and a validation looks up
/// every member of every object, which made that hashing the largest cost of a valid value.
struct NameTable: Sendable {
    /// Every name's bytes, one after the other.
    private let bytes: [UInt8]
    /// Per entry: where its bytes start in `bytes` and how many there are.
    private let spans: [(start: Int32, count: Int32)]
    /// Entry index + 1 per slot, 0 for an empty slot; the count is a power of two, at least
    /// twice the entries, so probing always reaches an empty slot.
    private let slots: [Int32]

    /// The table of `names`; entry `i` is `names[i]`. A repeated name keeps its first entry.
    init(_ names: [String]) {
        var bytes: [UInt8] = []
        var spans: [(start: Int32, count: Int32)] = []
        var capacity = 4
        while capacity < 2 * names.count { capacity *= 2 }
        var slots = [Int32](repeating: 0, count: capacity)
        for name in names {
            let utf8 = Array(name.utf8)
            var slot = Self.hash(utf8) & (capacity - 1)
            var duplicate = false
            while slots[slot] != 0 {
                let (start, count) = spans[Int(slots[slot]) - 1]
                if bytes[Int(start)..<Int(start + count)].elementsEqual(utf8) { duplicate = true; break }
                slot = (slot + 1) & (capacity - 1)
            }
            spans.append((Int32(bytes.count), Int32(utf8.count)))
            bytes += utf8
            if !duplicate { slots[slot] = Int32(spans.count) }
        }
        self.bytes = bytes
        self.spans = spans
        self.slots = slots
    }

    /// An empty table.
    static let empty = NameTable([])

    /// Whether the table has no entries.
    var isEmpty: Bool { spans.isEmpty }

    @inline(__always)
    private static func hash(_ b: some Collection<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in b { h = (h ^ UInt64(c)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The index of the entry spelled exactly as `name` (byte for byte), nil when there is none.
    @inline(__always)
    func index(of name: String) -> Int? {
        if let found = name.utf8.withContiguousStorageIfAvailable({ find($0) }) { return found }
        return Array(name.utf8).withUnsafeBufferPointer { find($0) }
    }

    /// Whether `name` is an entry.
    @inline(__always)
    func contains(_ name: String) -> Bool { index(of: name) != nil }

    private func find(_ name: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !spans.isEmpty else { return nil }
        let mask = slots.count - 1
        var slot = Self.hash(name) & mask
        return slots.withUnsafeBufferPointer { slots in
            spans.withUnsafeBufferPointer { spans in
                bytes.withUnsafeBufferPointer { bytes in
                    while true {
                        let entry = Int(slots[slot])
                        if entry == 0 { return nil }
                        let (start, count) = spans[entry - 1]
                        if Int(count) == name.count
                            && (count == 0 || memcmp(bytes.baseAddress! + Int(start), name.baseAddress!, Int(count)) == 0) {
                            return entry - 1
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }
}
