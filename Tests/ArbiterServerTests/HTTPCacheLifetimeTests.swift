@testable import ArbiterAuxData
@testable import ArbiterServer
import CEL
import Testing

/// The refresh of a remote JWKS without `refreshInterval` follows the server's cache headers,
/// never more often than every 15 minutes, as Cerbos's key set cache does.
@Suite struct HTTPCacheLifetimeTests {
    static let now = Timestamp(rfc3339: "2026-12-07T10:00:00Z")!

    @Test(arguments: [
        ("max-age=3600", nil, nil, Duration?.some(.seconds(3600))),
        ("public, max-age=\"7200\", must-revalidate", nil, nil, .some(.seconds(7200))),
        ("no-store", "Mon, 07 Dec 2026 12:00:00 GMT", nil, .some(.zero)),
        ("private", nil, nil, nil),
        (nil, "Mon, 07 Dec 2026 11:30:00 GMT", nil, .some(.seconds(5400))),
        (nil, "Mon, 07 Dec 2026 11:30:00 GMT", "Mon, 07 Dec 2026 11:00:00 GMT", .some(.seconds(1800))),
        (nil, "Mon, 07 Dec 2026 09:00:00 GMT", nil, .some(.zero)),
        (nil, "0", nil, .some(.zero)),
        ("max-age=soon", nil, nil, .some(.zero)),
        (nil, nil, nil, nil),
    ] as [(String?, String?, String?, Duration?)])
    func lifetime_followsCacheControlThenExpires(cacheControl: String?, expires: String?, date: String?, expected: Duration?) {
        #expect(HTTPCacheLifetime(cacheControl: cacheControl, expires: expires, date: date, now: Self.now).freshFor == expected)
    }

    @Test func httpDate_readsIMFFixdate_only() {
        #expect(HTTPCacheLifetime.httpDate("Sun, 06 Nov 1994 08:49:37 GMT") == Timestamp(rfc3339: "1994-11-06T08:49:37Z"))
        #expect(HTTPCacheLifetime.httpDate("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        #expect(HTTPCacheLifetime.httpDate("Sun, 06 Nov 1994 08:49:37 PST") == nil)
    }

    @Test func nextRefresh_isTheConfiguredInterval_elseTheServersLifetime_neverUnderFifteenMinutes() {
        let configured = RemoteKeySet(id: "a", url: "http://x", refreshInterval: .seconds(5), optionalAlg: false, optionalKid: false)
        #expect(configured.nextRefresh(freshFor: .seconds(86400)) == .seconds(5))
        let headers = RemoteKeySet(id: "b", url: "http://x", refreshInterval: nil, optionalAlg: false, optionalKid: false)
        #expect(headers.nextRefresh(freshFor: .seconds(7200)) == .seconds(7200))
        #expect(headers.nextRefresh(freshFor: .seconds(60)) == RemoteKeySet.minimumRefreshInterval)
        #expect(headers.nextRefresh(freshFor: nil) == RemoteKeySet.minimumRefreshInterval)
    }
}
