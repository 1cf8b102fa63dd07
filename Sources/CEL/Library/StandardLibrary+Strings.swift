#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension StandardLibrary {
    static let strings: [FunctionBinding] = [
        FunctionBinding("size", [
            .unary(OverloadID.sizeString, K.string) { a in sizeOf(a) }.chargingScans(),
            .unary(OverloadID.sizeBytes, K.bytes) { a in sizeOf(a) },
            .unary(OverloadID.sizeList, K.list) { a in sizeOf(a) },
            .unary(OverloadID.sizeMap, K.map) { a in sizeOf(a) },
            .unary(OverloadID.stringSize, K.string, isMember: true) { a in sizeOf(a) }.chargingScans(),
            .unary(OverloadID.bytesSize, K.bytes, isMember: true) { a in sizeOf(a) },
            .unary(OverloadID.listSize, K.list, isMember: true) { a in sizeOf(a) },
            .unary(OverloadID.mapSize, K.map, isMember: true) { a in sizeOf(a) },
        ]),
        FunctionBinding("contains", [
            .binary(OverloadID.containsString, K.string, K.string, isMember: true) { a, b in
                guard case let .string(s) = a, case let .string(t) = b else { return .noSuchOverload() }
                return .bool(StringBytes.contains(s, t))
            }.chargingSearch(),
        ]),
        FunctionBinding("startsWith", [
            .binary(OverloadID.startsWithString, K.string, K.string, isMember: true) { a, b in
                guard case let .string(s) = a, case let .string(t) = b else { return .noSuchOverload() }
                return .bool(StringBytes.hasPrefix(s, t))
            },
        ]),
        FunctionBinding("endsWith", [
            .binary(OverloadID.endsWithString, K.string, K.string, isMember: true) { a, b in
                guard case let .string(s) = a, case let .string(t) = b else { return .noSuchOverload() }
                return .bool(StringBytes.hasSuffix(s, t))
            },
        ]),
        FunctionBinding("matches", [
            matchesOverload(OverloadID.matches, isMember: false),
            matchesOverload(OverloadID.matchesString, isMember: true),
        ]),
    ]

    static func sizeOf(_ v: Value) -> Value {
        switch v {
        case let .string(s): return .int(Int64(s.unicodeScalars.count))
        case let .bytes(b): return .int(Int64(b.count))
        case let .list(l): return .int(Int64(l.count))
        case let .map(m): return .int(Int64(m.count))
        default: return .noSuchOverload("size")
        }
    }

    /// `matches`: compiles the pattern per call, or once at plan time when it is a constant.
    static func matchesOverload(_ id: String, isMember: Bool) -> Overload {
        Overload(id, [K.string, K.string], isMember: isMember, .budgetedBinary { a, b, budget in
            guard case let .string(s) = a, case let .string(p) = b else { return .noSuchOverload("matches") }
            // A pattern compiled at run time (request data) costs a unit a byte, like its input.
            if let e = budget.admitRegexInput(s.utf8.count, by: "matches") ?? budget.charge(p.utf8.count) { return e }
            do { return .bool(try RE2Regex(p).matches(s)) } catch let e as EvalError { return .error(e) } catch {
                return .err("invalid regular expression")
            }
        }, specialize: { constants in
            guard constants.count == 2, case let .string(p)? = constants[1] else { return nil }
            let regex: RE2Regex
            do { regex = try RE2Regex(p) } catch let e as EvalError {
                return .budgetedBinary { _, _, _ in .error(e) }
            } catch { return nil }
            return .budgetedBinary { a, _, budget in
                guard case let .string(s) = a else { return .noSuchOverload("matches") }
                if let e = budget.admitRegexInput(s.utf8.count, by: "matches") { return e }
                return .bool(regex.matches(s))
            }
        })
    }
}

/// Byte-wise (UTF-8) string predicates: CEL compares code points, not Unicode canonical
/// equivalence as Swift's `String` methods do.
enum StringBytes {
    /// Runs `body` on the UTF-8 bytes of `s` without copying a native string (small strings
    /// are spilled to the stack). `withUTF8` would need a mutable copy, one retain and release
    /// per call on the hot comparison paths.
    @inline(__always)
    static func withBytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = s
        return copy.withUTF8(body)
    }

    static func hasPrefix(_ s: String, _ p: String) -> Bool {
        withBytes(s) { a in
            withBytes(p) { b in
                a.count >= b.count && (b.count == 0 || same(a.baseAddress!, b.baseAddress!, b.count))
            }
        }
    }

    static func hasSuffix(_ s: String, _ p: String) -> Bool {
        withBytes(s) { a in
            withBytes(p) { b in
                a.count >= b.count && (b.count == 0 || same(a.baseAddress! + (a.count - b.count), b.baseAddress!, b.count))
            }
        }
    }

    static func contains(_ s: String, _ p: String) -> Bool {
        find(Array(s.utf8), Array(p.utf8), from: 0) != nil
    }

    /// Byte offset of the first occurrence of `needle` at or after `from`.
    static func find(_ hay: [UInt8], _ needle: [UInt8], from: Int) -> Int? {
        let n = hay.count, m = needle.count
        if m == 0 { return from <= n ? from : nil }
        guard n >= m, from <= n - m else { return nil }
        let first = needle[0]
        var i = from
        while i <= n - m {
            if hay[i] == first {
                var j = 1
                while j < m && hay[i + j] == needle[j] { j += 1 }
                if j == m { return i }
            }
            i += 1
        }
        return nil
    }

    /// Exact code-point equality (Swift's `==` would equate canonically equivalent strings).
    @inline(__always)
    static func equal(_ a: String, _ b: String) -> Bool {
        // Different byte counts are never equal; the count is O(1) for native and small strings.
        guard a.utf8.count == b.utf8.count else { return false }
        // Map keys and field names usually match this way, without spilling both strings to
        // the stack and comparing them.
        if sameRepresentation(a, b) { return true }
        return withBytes(a) { pa in
            withBytes(b) { pb in
                pa.count == pb.count && (pa.count == 0 || same(pa.baseAddress!, pb.baseAddress!, pa.count))
            }
        }
    }

    /// Whether `n` bytes at `a` and `b` are equal. Short runs (field names, prefixes) are
    /// compared in place: calling `memcmp` cost more than the comparison itself.
    @inline(__always)
    static func same(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard n <= 16 else { return memcmp(a, b, n) == 0 }
        var i = 0
        while i < n {
            if a[i] != b[i] { return false }
            i &+= 1
        }
        return true
    }
}
