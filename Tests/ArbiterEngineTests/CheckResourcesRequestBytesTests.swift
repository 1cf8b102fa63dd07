import ArbiterEngine
import ArbiterJSON
import CEL
import Testing

/// `CheckResourcesRequest(json:)` (the daemon's decode straight from bytes) against
/// `CheckResourcesRequest(from:)` on the parsed value: equal whenever the fast decode answers,
/// and no answer for whatever it leaves to the general path.
@Suite struct CheckResourcesRequestBytesTests {
    static let plain = #"{"requestId":"bench-0","principal":{"id":"u3","roles":["viewer"],"attr":{"department":"d3","tenant":"t0"}},"resources":[{"actions":["view","edit","approve","delete","archive"],"resource":{"kind":"kind_647","id":"r0","attr":{"owner":"u29","public":false,"status":"APPROVED","department":"d2","locked":false,"frozen":false},"scope":"t1.us"}}]}"#

    /// Requests the fast decode must read exactly as the general path does.
    static let decoded: [String] = [
        plain,
        #" { "resources" : [ { "resource" : { "id" : "r1" , "kind" : "doc" } , "actions" : [ "a" ] } ] , "principal" : { "roles" : [ "r" ] , "id" : "p" } } "#,
        #"{"request_id":"x","include_meta":true,"principal":{"id":"p","roles":["a","b"],"policy_version":"v1","scope":"acme.hr"},"resources":[{"actions":["view"],"resource":{"kind":"k","id":"1","policy_version":"default","scope":"."}}],"aux_data":{"jwt":{"sub":"x"}}}"#,
        #"{"requestId":"","includeMeta":false,"principal":{"id":"p\u00e9\n","roles":["r\"q"],"attr":null,"policyVersion":"","scope":""},"resources":[{"actions":["v"],"resource":{"kind":"k","id":"i","attr":{}}},{"actions":["a","b","c"],"resource":{"kind":"k2","id":"i2","attr":{"n":1.5e3,"l":[1,"x",{"y":null}],"m":{"deep":{"deeper":[true]}},"u":"ünï"}}}],"auxData":null,"requestContext":{"anything":[1,2]}}"#,
        #"{"principal":{"id":"p","roles":["r1","r2","r3","r4","r5","r6","r7","r8","r9","r10","r11","r12","r13","r14","r15","r16","r17","r18"]},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i"}}]}"#,
    ]

    /// Requests left to the general path, valid (first four) or not.
    static let declined: [String] = [
        #"{"requestId":"a","request_id":"b","principal":{"id":"p","roles":["r"]},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i"}}]}"#,
        #"{"requestId":null,"principal":{"id":"p","roles":["r"]},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i"}}]}"#,
        #"{"principal":{"id":"p","roles":["r"],"scope":null},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i"}}]}"#,
        #"{"principal":{"id":"p","roles":["r"]},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i","policyVersion":"a","policy_version":"b"}}]}"#,
        #"{"principal":{"id":"p","roles":["r"]},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i"}}],"extra":1}"#,
        #"{"principal":{"id":"p","roles":["r"],"id":"q"},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i"}}]}"#,
        #"{"principal":{"id":"p","roles":["r","r"]},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i"}}]}"#,
        #"{"principal":{"id":"p","roles":[""]},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i"}}]}"#,
        #"{"principal":{"id":"p","roles":[]},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i"}}]}"#,
        #"{"principal":{"id":"","roles":["r"]},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i"}}]}"#,
        #"{"principal":{"id":"p","roles":["r"],"scope":"a..b"},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i"}}]}"#,
        #"{"principal":{"id":"p","roles":["r"],"policyVersion":"v-1"},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i"}}]}"#,
        #"{"principal":{"id":"p","roles":["r"]},"resources":[]}"#,
        #"{"principal":{"id":"p","roles":["r"]}}"#,
        #"{"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i"}}]}"#,
        #"{"principal":{"id":"p","roles":["r"]},"resources":[{"actions":["a","a"],"resource":{"kind":"k","id":"i"}}]}"#,
        #"{"principal":{"id":"p","roles":["r"]},"resources":[{"actions":["a"]}]}"#,
        #"{"principal":{"id":"p","roles":["r"]},"resources":[{"actions":["a"],"resource":{"kind":"k"}}]}"#,
        #"{"principal":{"id":"p","roles":["r"]},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i","attr":{"":1}}}]}"#,
        #"{"principal":{"id":"p","roles":["r"]},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i","attr":[1]}}]}"#,
        #"{"principal":{"id":"p","roles":["r"]},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i"},"x":1}]}"#,
        #"{"principal":{"id":"p","roles":["r"]},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i"}},]}"#,
        #"{"principal":{"id":"p","roles":["r"]},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i","attr":{"a":1,"a":2}}}]}"#,
        #"{"principal":{"id":"p","roles":["r"]},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i"}}]"#,
        #"{"principal":{"id":"p","roles":["r"]},"includeMeta":"yes","resources":[{"actions":["a"],"resource":{"kind":"k","id":"i"}}]}"#,
        #"[]"#,
    ]

    static func fast(_ text: String) -> CheckResourcesRequest? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw in
            var c = JSONCursor(raw)
            guard let request = CheckResourcesRequest(json: &c), c.isAtEnd() else { return nil }
            return request
        }
    }

    /// Everything the request holds, as text (attribute maps in member order).
    static func render(_ r: CheckResourcesRequest) throws -> String {
        func object(_ p: String, _ attr: MapValue, _ version: String, _ scope: String) throws -> String {
            "\(p) attr=\(try JSONWriter.encodeString(.map(attr))) v=\(version) s=\(scope)"
        }
        var out = "id=\(r.requestId) meta=\(r.includeMeta) aux=\(try r.auxData.map { try JSONWriter.encodeString($0) } ?? "nil")\n"
        out += try object("P \(r.principal.id) \(r.principal.roles)", r.principal.attr, r.principal.policyVersion, r.principal.scope) + "\n"
        for e in r.resources {
            out += try object("R \(e.actions) \(e.resource.kind) \(e.resource.id)", e.resource.attr, e.resource.policyVersion, e.resource.scope) + "\n"
        }
        return out
    }

    @Test(arguments: decoded)
    func plainRequest_decodesAsTheValuePathDoes(_ text: String) throws {
        let fast = try #require(Self.fast(text))
        let general = try CheckResourcesRequest(from: JSONReader.parse(text))
        #expect(try Self.render(fast) == Self.render(general))
    }

    @Test(arguments: declined)
    func unusualOrInvalidRequest_isLeftToTheValuePath(_ text: String) {
        #expect(Self.fast(text) == nil)
    }

    @Test func invalidRequestsDeclined_areTheOnesTheValuePathRejects() throws {
        // The first four declined requests are valid; every other one fails the general path.
        for (i, text) in Self.declined.enumerated() {
            let general: Result<CheckResourcesRequest, any Error> = Result(catching: { try CheckResourcesRequest(from: JSONReader.parse(text)) })
            if i < 4 {
                _ = try general.get()
            } else {
                #expect(throws: (any Error).self, "request \(i) should be rejected") { try general.get() }
            }
        }
    }

    @Test func nestingDeeperThanTheLimit_isDeclined() {
        let text = #"{"principal":{"id":"p","roles":["r"],"attr":{"a":{"b":{"c":1}}}},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"i"}}]}"#
        let bytes = Array(text.utf8)
        let shallow = bytes.withUnsafeBytes { raw in
            var c = JSONCursor(raw, options: JSONReader.Options(maxDepth: 4))
            return CheckResourcesRequest(json: &c)
        }
        #expect(shallow == nil)
        #expect(Self.fast(text) != nil)
    }
}
