import ArbiterPolicy
import CEL
import Testing

struct CerbosCELSPIFFETests {
    @Test(arguments: [
        #"spiffeID("spiffe://example.org/ns/prod/sa/api").path() == "/ns/prod/sa/api""#,
        #"spiffeID("spiffe://example.org").path() == """#,
        #"spiffeID("spiffe://example.org/a").trustDomain().name() == "example.org""#,
        #"spiffeID("spiffe://example.org/a").trustDomain().id() == "spiffe://example.org""#,
        #"spiffeID("spiffe://example.org/a").isMemberOf(spiffeTrustDomain("example.org"))"#,
        #"!spiffeID("spiffe://example.org/a").isMemberOf(spiffeTrustDomain("other.org"))"#,
        #"spiffeTrustDomain("spiffe://example.org/x/y").name() == "example.org""#,
        #"spiffeID("spiffe://a.b/c") == spiffeID("spiffe://a.b/c")"#,
        #"spiffeID("spiffe://a.b/c") != spiffeID("spiffe://a.b/d")"#,
        #"spiffeTrustDomain("a.b") == spiffeID("spiffe://a.b/c").trustDomain()"#,
        #"spiffeID("spiffe://td/Path-With_Mixed.Case9").path() == "/Path-With_Mixed.Case9""#,
        #"spiffeMatchAny().matchesID("spiffe://x.y/z")"#,
        #"spiffeMatchExact("spiffe://a/b").matchesID(spiffeID("spiffe://a/b"))"#,
        #"!spiffeMatchExact(spiffeID("spiffe://a/b")).matchesID("spiffe://a/c")"#,
        #"spiffeMatchOneOf(["spiffe://a/b", "spiffe://a/c"]).matchesID("spiffe://a/c")"#,
        #"!spiffeMatchOneOf([spiffeID("spiffe://a/b")]).matchesID("spiffe://a/c")"#,
        #"spiffeMatchTrustDomain("a").matchesID("spiffe://a/x")"#,
        #"!spiffeMatchTrustDomain(spiffeTrustDomain("b")).matchesID("spiffe://a/x")"#,
    ])
    func spiffeExpression_holds(_ source: String) {
        let v = CerbosCEL.eval(source)
        #expect(CerbosCEL.isTrue(v), "\(source) gave \(v)")
    }

    @Test(arguments: [
        ("", "cannot be empty"),
        ("http://example.org/a", "scheme is missing or invalid"),
        ("SPIFFE://example.org/a", "scheme is missing or invalid"),
        ("spiffe://Example.org/a", "trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores"),
        ("spiffe:///a", "trust domain is missing"),
        ("spiffe://", "trust domain is missing"),
        ("spiffe://a/b/", "path cannot have a trailing slash"),
        ("spiffe://a/", "path cannot have a trailing slash"),
        ("spiffe://a//b", "path cannot contain empty segments"),
        ("spiffe://a/./b", "path cannot contain dot segments"),
        ("spiffe://a/b/..", "path cannot contain dot segments"),
        ("spiffe://a/b$", "path segment characters are limited to letters, numbers, dots, dashes, and underscores"),
    ])
    func invalidID_isAnErrorWithGoSpiffesReason(_ id: String, _ reason: String) {
        #expect(CerbosCEL.runtimeError(#"spiffeID("\#(id)").path() == """#) == "failed to parse SPIFFE ID: \(reason)")
    }

    @Test func dotsInsideASegment_areAllowed() {
        #expect(CerbosCEL.isTrue(CerbosCEL.eval(#"spiffeID("spiffe://a/...").path() == "/...""#)))
    }

    @Test func invalidTrustDomain_isAnError() {
        #expect(CerbosCEL.runtimeError(#"spiffeTrustDomain("").name() == """#)
            == "failed to parse SPIFFE trust domain: trust domain is missing")
        #expect(CerbosCEL.runtimeError(#"spiffeTrustDomain("a b").name() == """#)
            == "failed to parse SPIFFE trust domain: trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores")
    }

    @Test func matchingAnInvalidIDString_isAnError() {
        #expect(CerbosCEL.runtimeError(#"spiffeMatchAny().matchesID("nope")"#) == "invalid SPIFFE ID: scheme is missing or invalid")
    }

    @Test func parse_keepsTrustDomainAndPath() throws {
        let id = try SPIFFE.ID.parse("spiffe://td.example/x/y").get()
        #expect(id.trustDomainName == "td.example")
        #expect(id.path == "/x/y")
        #expect(SPIFFE.TrustDomain.parse("td.example").map(\.name) == .success("td.example"))
    }
}
