import ArbiterEngine
import CEL

/// How long an HTTP response says it stays fresh (RFC 9111 §4.2.1): `Cache-Control: max-age`
/// first, else `Expires` minus the response's `Date` (or now). `no-store` and `no-cache`, an
/// `Expires` that does not parse and one in the past all mean zero: fetch again as soon as
/// allowed. Nil when the response says nothing about its lifetime.
struct HTTPCacheLifetime: Sendable, Equatable {
    /// The freshness lifetime, or nil when the headers give none.
    let freshFor: Duration?

    /// The lifetime the given header values (nil when absent) describe, read at `now`.
    init(cacheControl: String?, expires: String?, date: String?, now: Timestamp = Engine.currentTime()) {
        if let cacheControl, let fromDirectives = Self.lifetime(cacheControl: cacheControl) {
            freshFor = fromDirectives
            return
        }
        guard let expires else {
            freshFor = nil
            return
        }
        guard let expiry = Self.httpDate(expires) else {
            freshFor = .zero
            return
        }
        let reference = date.flatMap(Self.httpDate) ?? now
        freshFor = .seconds(max(0, expiry.seconds - reference.seconds))
    }

    /// `max-age=N` seconds, zero for `no-store` / `no-cache`, nil when none of them is given.
    private static func lifetime(cacheControl: String) -> Duration? {
        var maxAge: Duration?
        for directive in cacheControl.split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1)
            let name = parts[0].trimmingSpaces.lowercased()
            if name == "no-store" || name == "no-cache" { return .zero }
            if name == "max-age", parts.count == 2 {
                // A value that is not a number is treated as stale, like an `Expires` that
                // does not parse.
                maxAge = Int64(parts[1].trimmingSpaces.trimmingQuotes).map { .seconds(max(0, $0)) } ?? .zero
            }
        }
        return maxAge
    }

    /// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form RFC 9110 §5.6.7 requires
    /// senders to use; nil for anything else.
    static func httpDate(_ text: String) -> Timestamp? {
        let fields = text.split(separator: " ")
        guard fields.count == 6, fields[0].hasSuffix(","), fields[5] == "GMT",
              fields[1].count == 2, fields[3].count == 4, fields[4].count == 8,
              let month = months.firstIndex(of: String(fields[2])) else { return nil }
        let monthText = month + 1 < 10 ? "0\(month + 1)" : "\(month + 1)"
        return Timestamp(rfc3339: "\(fields[3])-\(monthText)-\(fields[1])T\(fields[4])Z")
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }

    fileprivate var trimmingQuotes: Substring {
        count >= 2 && first == "\"" && last == "\"" ? dropFirst().dropLast() : self
    }
}
