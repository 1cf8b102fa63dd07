import CRE2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A compiled RE2 pattern. Immutable after compilation; RE2 objects are thread-safe for
/// matching, so one instance can serve concurrent evaluations.
public final class RE2Regex: @unchecked Sendable { // immutable handle; RE2 matching is thread-safe
    private let handle: OpaquePointer
    /// The source pattern.
    public let pattern: String

    /// Compiles `pattern`; throws an `EvalError` carrying RE2's message when it is invalid.
    public init(_ pattern: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let h: OpaquePointer? = pattern.utf8CString.withUnsafeBufferPointer { buf in
            arb_re2_new(buf.baseAddress, buf.count - 1, &error)
        }
        guard let h else {
            var message = "invalid regular expression"
            if let error {
                message = "error parsing regexp: " + String(cString: error)
                free(error)
            }
            throw EvalError(message)
        }
        self.handle = h
        self.pattern = pattern
    }

    deinit { arb_re2_delete(handle) }

    /// Number of capture groups.
    public var groupCount: Int { Int(arb_re2_groups(handle)) }

    /// Whether the pattern matches a substring of `text` (CEL `matches` semantics).
    public func matches(_ text: String) -> Bool {
        var t = text
        return t.withUTF8 { buf in
            arb_re2_search(handle, buf.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                           buf.count, 0, -1, nil) == 1
        }
    }

    /// The first match at or after byte offset `start`: byte ranges of the whole match and each
    /// group (nil for a group that did not take part), or nil when there is no match.
    public func firstMatch(in text: String, from start: Int = 0) -> [Range<Int>?]? {
        var t = text
        let n = groupCount
        var offsets = [Int](repeating: -1, count: 2 * (n + 1))
        let found = t.withUTF8 { buf in
            offsets.withUnsafeMutableBufferPointer { off in
                arb_re2_search(handle, buf.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                               buf.count, start, Int32(n), off.baseAddress)
            }
        }
        guard found == 1 else { return nil }
        return (0...n).map { i in offsets[2 * i] < 0 ? nil : offsets[2 * i]..<offsets[2 * i + 1] }
    }
}
