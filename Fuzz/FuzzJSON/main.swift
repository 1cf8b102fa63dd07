// FuzzJSON: ArbiterJSON's reader, cursor and writer on arbitrary bytes.
//
// Invariants checked on every input, beyond "does not crash":
//  - JSONCursor, walking the document member by member, accepts exactly what JSONReader.parse
//    accepts (except duplicate keys, which only the parse rejects, and which the walk detects)
//    and reads the same value;
//  - what JSONWriter writes for a parsed value parses back to an equal value.
import ArbiterJSON
import CEL
import FuzzSupport

let options = JSONReader.Options(maxDepth: 64)

/// What walking the document with a cursor gave.
enum Walk {
    case value(Value)
    /// A well-formed document with a key twice in one object (which `JSONReader` rejects).
    case duplicateKey
    case failed
}

struct DuplicateKey: Error {}

/// Reads one value the way the request decoders do: objects and arrays member by member, strings
/// and booleans with their own reads, anything else whole.
func walk(_ c: inout JSONCursor) throws -> Value {
    if try c.enterObject() {
        var pairs: [(String, Value)] = []
        var keys = Set<[UInt8]>()  // by bytes: the reader compares keys by code point, not canonical equivalence
        var first = true
        while let key = try c.nextKey(first: first) {
            first = false
            let value = try walk(&c)
            guard keys.insert(Array(key.utf8)).inserted else { throw DuplicateKey() }
            pairs.append((key, value))
        }
        return .map(MapValue(stringKeyed: pairs))
    }
    if try c.enterArray() {
        var elements: [Value] = []
        var first = true
        while try c.nextElement(first: first) {
            first = false
            elements.append(try walk(&c))
        }
        return .list(elements)
    }
    if let s = try c.readString() { return .string(s) }
    if let b = try c.readBool() { return .bool(b) }
    return try c.readValue()
}

func walkDocument(_ bytes: UnsafeRawBufferPointer) -> Walk {
    var cursor = JSONCursor(bytes, options: options)
    do {
        let value = try walk(&cursor)
        return cursor.isAtEnd() ? .value(value) : .failed
    } catch is DuplicateKey {
        return .duplicateKey
    } catch {
        return .failed
    }
}

runFuzzer { bytes in
    let parsed = try? JSONReader.parse(bytes, options: options)
    let walked = walkDocument(bytes)
    switch (parsed, walked) {
    case let (value?, .value(other)):
        fuzzInvariant(value == other, "cursor read \(other), parse read \(value)")
    case (_?, .duplicateKey), (_?, .failed):
        fuzzInvariant(false, "parse accepted what the cursor walk rejected (\(walked))")
    case (nil, .value):
        fuzzInvariant(false, "cursor walk accepted what parse rejected")
    case (nil, .duplicateKey), (nil, .failed):
        break
    }
    guard let value = parsed else { return }
    do {
        let written = try JSONWriter.encode(value)
        let reread = try JSONReader.parse(written, options: JSONReader.Options(maxDepth: options.maxDepth + 1))
        fuzzInvariant(reread == value, "written \(String(decoding: written, as: UTF8.self)) reads back as \(reread), not \(value)")
    } catch {
        fuzzInvariant(false, "a parsed value failed to write or read back: \(error)")
    }
}
