import Testing
@testable import CEL

@Suite struct ExtensionNetworkTests {
    @Test(arguments: [
        ("192.168.0.1", "192.168.0.1"), ("2001:DB8::68", "2001:db8::68"), ("::", "::"), ("::1", "::1"),
        ("1:0:0:1:0:0:0:1", "1:0:0:1::1"), ("1:0:0:2:0:0:3:4", "1::2:0:0:3:4"), ("fe80:0:0:0:0:0:0:1", "fe80::1"),
        ("::1.2.3.4", "::102:304"), ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
    ])
    func ipAddress_parsesAndPrintsAsNetip(text: String, canonical: String) {
        #expect(IPAddress(parsing: text)?.description == canonical)
    }

    @Test(arguments: ["192.168.0.1.0", "01.2.3.4", "256.1.1.1", "1.2.3", "2001:db8:::68", "1:2:3:4:5:6:7:8:9",
                      "12345::", "1::2::3", ":1", "1:", "", "fe80::1%", "a.b.c.d"])
    func ipAddress_rejectsWhatNetipRejects(text: String) {
        #expect(IPAddress(parsing: text) == nil)
    }

    @Test(arguments: [
        ("ip('::ffff:1.2.3.4')", "IPv4-mapped IPv6 address \"::ffff:1.2.3.4\" is not allowed"),
        ("ip('fe80::1%en0')", "IP address \"fe80::1%en0\" with zone value is not allowed"),
        ("cidr('10.0.0.0/33')", "CIDR \"10.0.0.0/33\" parse error during conversion from string"),
        ("cidr('10.0.0.0/08')", "CIDR \"10.0.0.0/08\" parse error during conversion from string"),
    ])
    func invalidAddresses_areErrors(source: String, message: String) {
        #expect(ExtensionEval.errorMessage(source) == message)
    }

    @Test(arguments: [
        ("ip('127.0.0.1').isLoopback()", true), ("ip('::1').isLoopback()", true), ("ip('0.0.0.0').isUnspecified()", true),
        ("ip('255.255.255.255').isGlobalUnicast()", false), ("ip('10.0.0.1').isGlobalUnicast()", true),
        ("ip('224.0.0.1').isLinkLocalMulticast()", true), ("ip('ff02::1').isLinkLocalMulticast()", true),
        ("ip('169.254.1.1').isLinkLocalUnicast()", true), ("ip('fe80::1').isLinkLocalUnicast()", true),
        ("cidr('192.168.0.0/24').containsIP('192.168.0.7')", true), ("cidr('192.168.0.0/24').containsIP(ip('::1'))", false),
        ("cidr('192.168.0.0/8').containsCIDR(cidr('192.168.1.0/24'))", true),
        ("cidr('10.0.0.0/24').containsCIDR('10.0.0.0/16')", false),
        ("cidr('192.168.0.0/24').isMask()", true), ("cidr('192.168.0.1/24').isMask()", false),
        ("cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24')", true),
        ("cidr('192.168.0.1/24') == cidr('192.168.0.0/24')", false),
        ("type(ip('::1')) == net.IP && type(cidr('::/0')) == net.CIDR", true),
        ("ip.isCanonical('2001:db8::68')", true), ("isIP('::ffff:1.2.3.4')", false), ("isCIDR('::1/128')", true),
    ])
    func networkMembers_matchNetip(source: String, expected: Bool) {
        #expect(ExtensionEval.eval(source) == .bool(expected))
    }

    @Test func string_printsTheUnmaskedPrefix() {
        #expect(ExtensionEval.eval("string(cidr('192.168.0.1/24'))") == .string("192.168.0.1/24"))
        #expect(ExtensionEval.eval("cidr('2001:db8::1/32').ip()") == ExtensionEval.eval("ip('2001:db8::1')"))
        #expect(ExtensionEval.eval("cidr('192.168.0.0/24').prefixLength()") == .int(24))
    }

    @Test func isIPOfACIDR_isACompileErrorWithTheCheckersMessage() {
        let compiled = ExtensionEval.environment.compile("isIP(cidr('192.168.0.0/24'))")
        #expect(compiled.program == nil)
        #expect(compiled.issues.map(\.description) == ["1:5: found no matching overload for 'isIP' applied to '(net.CIDR)'"])
    }
}
