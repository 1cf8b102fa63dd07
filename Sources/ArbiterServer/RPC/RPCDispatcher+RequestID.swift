import ArbiterJSON
import CEL

extension RPCDispatcher {
    /// Doubles hold every integer up to 2^53; from there on a number's text is the only exact copy.
    private static var exactDoubleLimit: Double { 9_007_199_254_740_992 }

    /// The id to echo for `id` as the JSON reader read it from `text` (the member's value, as
    /// sent). JSON-RPC echoes the id unchanged, but the reader reads every number as a double,
    /// which from 2^53 on rounds (and from 1e21 prints as `1e+21`): such an id is taken from its
    /// text, as an exact integer when it is one that fits 64 bits. Anything else is returned as is.
    static func exactID(_ id: Value, text: UnsafeRawBufferPointer) -> Value {
        guard case let .double(d) = id, d.isFinite, abs(d) >= exactDoubleLimit else { return id }
        let digits = String(decoding: text, as: UTF8.self).trimmingJSONWhitespace()
        if let i = Int64(digits) { return .int(i) }
        if let u = UInt64(digits) { return .uint(u) }
        return id
    }

    /// As `exactID(_:text:)`, finding the text of the request's top-level `id` member in
    /// `payload` (the general path, which parsed the payload into a tree). Only reached for
    /// an id of 2^53 or more, so ordinary requests never pay for the second read.
    static func exactID(_ id: Value, inPayload payload: UnsafeRawBufferPointer, options: JSONReader.Options) -> Value {
        guard case let .double(d) = id, d.isFinite, abs(d) >= exactDoubleLimit else { return id }
        var c = JSONCursor(payload, options: options, knownKeys: .requestMembers)
        var text: UnsafeRawBufferPointer?
        do {
            guard try c.enterObject() else { return id }
            var first = true
            while let key = try c.nextKey(first: first) {
                first = false
                let start = c.offset
                _ = try c.readValue()
                if key == "id" { text = UnsafeRawBufferPointer(rebasing: payload[start..<c.offset]) }
            }
        } catch {
            // The payload was parsed once already; a failure here can only mean there is no
            // exact text to prefer, and the id read the first time is still right to echo.
            return id
        }
        return text.map { exactID(id, text: $0) } ?? id
    }
}

extension String {
    fileprivate func trimmingJSONWhitespace() -> String {
        let ws: Set<Character> = [" ", "\t", "\n", "\r"]
        var s = Substring(self)
        while let f = s.first, ws.contains(f) { s.removeFirst() }
        while let l = s.last, ws.contains(l) { s.removeLast() }
        return String(s)
    }
}
