import ArbiterPolicy
import CEL
import Testing

struct CerbosCELNetworkTests {
    @Test(arguments: [
        #""192.168.0.5".inIPAddrRange("192.168.0.0/24")"#,
        #"!"192.168.1.5".inIPAddrRange("192.168.0.0/24")"#,
        #""10.1.2.3".inIPAddrRange("10.0.0.0/8")"#,
        #""1.2.3.4".inIPAddrRange("0.0.0.0/0")"#,
        #""1.2.3.4".inIPAddrRange("1.2.3.4/32")"#,
        // A host address with bits beyond the prefix still names its network.
        #""192.168.0.77".inIPAddrRange("192.168.0.5/24")"#,
        #""::ffff:192.168.0.5".inIPAddrRange("192.168.0.0/24")"#,
        #""2001:0db8:0000:0000:0000:0000:1000:0000".inIPAddrRange("2001:db8::/48")"#,
        #""2001:db8::1".inIPAddrRange("2001:db8::/32")"#,
        #"!"2001:db9::1".inIPAddrRange("2001:db8::/32")"#,
        #"!"10.0.0.1".inIPAddrRange("2001:db8::/32")"#,
        #"!"2001:db8::1".inIPAddrRange("10.0.0.0/8")"#,
        #""1:2:3:4:5:6:7:8".inIPAddrRange("1:2:3:4::/64")"#,
        #""::".inIPAddrRange("::/0")"#,
        #""::1".inIPAddrRange("::1/128")"#,
        #""::ffff:1.2.3.4".inIPAddrRange("::ffff:0:0/96")"#,
        #""1.2.3.4".inIPAddrRange("1.2.3.0/024")"#,
    ])
    func inIPAddrRange_holds(_ source: String) {
        let v = CerbosCEL.eval(source)
        #expect(CerbosCEL.isTrue(v), "\(source) gave \(v)")
    }

    @Test(arguments: ["192.168.00.5", "300.1.1.1", "1.2.3", "1.2.3.4.5", "", "fe80::1%eth0", "1::2::3", "1:2:3:4:5:6:7:8:9",
                      "12345::", "::1.2.3", "1:2:3:4:5:6:7::8", ":1::2", "1::2:"])
    func invalidAddress_isAnError(_ ip: String) {
        #expect(CerbosCEL.runtimeError(#""\#(ip)".inIPAddrRange("0.0.0.0/0")"#) == "invalid IP address: \(ip)")
    }

    @Test(arguments: ["1.2.3.0/33", "1.2.3.4", "1.2.3.0/", "1.2.3.0/-1", "::/129", "1.2.3.0/24/1", "x/8", "1.2.3.0/2a"])
    func invalidCIDR_isAnError(_ cidr: String) {
        #expect(CerbosCEL.runtimeError(#""1.2.3.4".inIPAddrRange("\#(cidr)")"#) == "invalid CIDR address: \(cidr)")
    }

    @Test func embeddedIPv4_isTheSameAddressAsItsHexSpelling() {
        #expect(CerbosCEL.isTrue(CerbosCEL.eval(#""::ffff:10.0.0.1".inIPAddrRange("::ffff:a00:1/128")"#)))
        #expect(CerbosCEL.isTrue(CerbosCEL.eval(#""64:ff9b::192.0.2.33".inIPAddrRange("64:ff9b::c000:221/128")"#)))
        #expect(!CerbosCEL.isTrue(CerbosCEL.eval(#""64:ff9b::192.0.2.33".inIPAddrRange("64:ff9b::c000:222/128")"#)))
    }
}
