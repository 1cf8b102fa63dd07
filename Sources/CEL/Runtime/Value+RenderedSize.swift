import OrderedCollections

extension Value {
    /// An upper bound on the bytes a textual rendering of this value takes (`format`'s `%s`,
    /// `json.encode`), so that the text can be admitted before it is built: a list can hold one
    /// request string a million times over. Strings and bytes count `bytesPerByte` bytes a byte
    /// (six covers JSON's `\u0000` escapes); every other leaf, and every element and entry,
    /// counts 512 (a double written with `%.100f`). Counting stops once past `cap`.
    func renderedSizeBound(bytesPerByte: Int, cap: Int) -> Int {
        var total = 0
        addRenderedSize(bytesPerByte: bytesPerByte, cap: cap, to: &total)
        return total
    }

    private func addRenderedSize(bytesPerByte: Int, cap: Int, to total: inout Int) {
        guard total <= cap else { return }
        switch self {
        case let .string(s): total += bytesPerByte * s.utf8.count + 2
        case let .bytes(b): total += bytesPerByte * b.count + 2
        case let .list(items):
            total += 2
            for item in items {
                total += 2
                item.addRenderedSize(bytesPerByte: bytesPerByte, cap: cap, to: &total)
                if total > cap { return }
            }
        case let .map(m):
            total += 2
            for (k, v) in m.storage {
                total += 4
                k.value.addRenderedSize(bytesPerByte: bytesPerByte, cap: cap, to: &total)
                v.addRenderedSize(bytesPerByte: bytesPerByte, cap: cap, to: &total)
                if total > cap { return }
            }
        case let .optional(inner?): inner.addRenderedSize(bytesPerByte: bytesPerByte, cap: cap, to: &total)
        default: total += 512
        }
    }
}
