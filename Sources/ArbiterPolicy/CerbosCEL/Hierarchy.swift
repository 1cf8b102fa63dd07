import CEL

/// Cerbos's `cerbos.lib.hierarchy`: a dotted path such as `a.b.c` split into its segments.
///
/// It converts to the string joined by `.`, compares element-wise with `==`, supports `h[i]`
/// and `size()`, and has the ancestor/descendant relations as members (spec §3.3).
public struct Hierarchy: IndexableObjectValue, Hashable {
    /// The CEL type name Cerbos registers.
    public static let typeName = "cerbos.lib.hierarchy"
    /// The checker type of hierarchy values.
    public static let checkedType = CheckedType.opaque(typeName, [])

    /// The segments, in order.
    public let segments: [String]

    /// Wraps segments.
    public init(_ segments: [String]) { self.segments = segments }

    /// Splits `path` on `delimiter` as Go's `strings.Split` does (an empty delimiter splits
    /// into Unicode scalars; an empty path gives one empty segment).
    public init(_ path: String, delimiter: String = ".") {
        if delimiter.isEmpty {
            segments = path.unicodeScalars.map { String($0) }
        } else {
            segments = GoStrings.split(path, delimiter)
        }
    }

    public var celType: CELType { CELType(Self.typeName) }
    public func field(_ name: String) -> Value? { nil }
    public func isEqual(to other: any ObjectValue) -> Bool {
        guard let o = other as? Hierarchy else { return false }
        return o.segments == segments
    }

    /// `h[i]`: the i-th segment; only `int` indexes, as Cerbos's indexer accepts.
    public func index(_ key: Value) -> Value {
        guard case let .int(i) = key else {
            return .err("unsupported index type '\(key.celType.name)'")
        }
        guard i >= 0 && i < Int64(segments.count) else { return .err("index out of range") }
        return .string(segments[Int(i)])
    }

    /// The segments joined by `.`, what `string(h)` returns whatever the parsing delimiter was.
    public var joined: String { segments.joined(separator: ".") }

    /// True when `self` is a strict prefix of `other`.
    public func isAncestor(of other: Hierarchy) -> Bool {
        other.segments.count > segments.count && other.segments.starts(with: segments)
    }

    /// True when `other` is `self` with exactly one more segment.
    public func isImmediateParent(of other: Hierarchy) -> Bool {
        other.segments.count == segments.count + 1 && other.segments.starts(with: segments)
    }

    /// Same length and the same segments except possibly the last (identical ones count).
    public func isSibling(of other: Hierarchy) -> Bool {
        guard other.segments.count == segments.count else { return false }
        return segments.dropLast().elementsEqual(other.segments.dropLast())
    }

    /// One is a prefix of the other (or they are equal).
    public func overlaps(_ other: Hierarchy) -> Bool {
        let (short, long) = segments.count <= other.segments.count ? (segments, other.segments) : (other.segments, segments)
        return long.starts(with: short)
    }

    /// The longest common prefix; for two hierarchies of the same length the last segment is
    /// never part of it, so equal hierarchies yield their parent (Cerbos's definition).
    public func commonAncestors(_ other: Hierarchy) -> Hierarchy {
        var short = segments, long = other.segments
        if long.count < short.count { swap(&short, &long) }
        if short.count == long.count && !short.isEmpty {
            short.removeLast()
            long.removeLast()
        }
        var result: [String] = []
        for (a, b) in zip(short, long) {
            guard a == b else { break }
            result.append(a)
        }
        return Hierarchy(result)
    }
}
