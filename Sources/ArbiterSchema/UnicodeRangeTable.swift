/// Code point ranges, each with a small value, parsed once from the text that
/// `scripts/generate-idna-tables.py` writes (`start-end=value` or `point=value` in hex, comma
/// separated, ranges ascending and disjoint); code points in no range have the value 0.
struct UnicodeRangeTable: Sendable {
    private let starts: [UInt32]
    private let ends: [UInt32]
    private let values: [UInt8]

    init(_ text: String) {
        var starts: [UInt32] = [], ends: [UInt32] = [], values: [UInt8] = []
        for entry in text.split(separator: ",") {
            let parts = entry.split(separator: "=")
            let bounds = parts[0].split(separator: "-")
            // The text is generated: a malformed entry is a generator bug, caught by the tests.
            let start = UInt32(bounds[0], radix: 16)!
            starts.append(start)
            ends.append(bounds.count > 1 ? UInt32(bounds[1], radix: 16)! : start)
            values.append(UInt8(parts[1])!)
        }
        self.starts = starts
        self.ends = ends
        self.values = values
    }

    /// The value of the range holding `scalar`, 0 when none does.
    func value(_ scalar: Unicode.Scalar) -> UInt8 {
        let c = scalar.value
        var low = 0, high = starts.count
        // The first range starting after `c`; the one before it is the only candidate.
        while low < high {
            let mid = (low + high) / 2
            if starts[mid] <= c { low = mid + 1 } else { high = mid }
        }
        guard low > 0, c <= ends[low - 1] else { return 0 }
        return values[low - 1]
    }
}
