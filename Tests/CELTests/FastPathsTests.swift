import Testing
@testable import CEL

/// The layout probes behind CEL's unsafe fast paths (`FastPaths`). On this toolchain every probe
/// holds, so a toolchain that changes a layout fails here instead of silently taking the slow
/// paths; `ARBITER_CEL_SAFE_PATHS=1` (a run of the conformance suites in `make test`) forces
/// them all off, and the slow paths must then give the same results.
@Suite struct FastPathsTests {
    @Test func everyProbe_holdsOnThisToolchain() {
        #expect(FastPaths.probes.map(\.name) == ["mapBoxReadable", "mapKeyBits", "stringRepresentation"])
        for probe in FastPaths.probes {
            #expect(probe.holds, "probe \(probe.name) fails: its fast path is off")
        }
    }

    @Test func everyFastPath_isOnUnlessForcedOff() {
        for probe in FastPaths.probes {
            #expect(probe.isOn == !FastPaths.forcedOff, "\(probe.name)")
        }
        #expect((FastPaths.report == nil) == !FastPaths.forcedOff)
    }

    @Test func mapKeyBits_matchOnlyTheSameKey() {
        let key = MapKey.string("owner")
        let bits = MapKeyBits(key)
        func matches(_ other: MapKey) -> Bool { withUnsafeBytes(of: other) { bits.matches($0.baseAddress!) } }
        #expect(matches(key) == FastPaths.mapKeyBits)
        #expect(!matches(.string("other")))
        #expect(!matches(.int(5)))
    }

    @Test func sameRepresentation_neverEquatesDifferentBytes() {
        let long = String(repeating: "representation ", count: 3)
        let copy = long
        #expect(StringBytes.sameRepresentation(copy, long) == FastPaths.stringRepresentation)
        #expect(!StringBytes.sameRepresentation("abc", "abd"))
        #expect(!StringBytes.sameRepresentation(long, String(repeating: "representation ", count: 2)))
        // Equal bytes in another buffer prove nothing either way; `equal` still says true.
        #expect(StringBytes.equal(long, String(repeating: "representation ", count: 3)))
    }

    /// A path through maps, read in place when `mapBoxReadable` is on and through copies when
    /// it is off, selects the same values and errors.
    @Test func slotPaths_selectTheSameValuesEitherWay() {
        let env = Environment(variables: ["x"])
        let x = Value.map(MapValue(stringKeyed: [("a", .map(MapValue(stringKeyed: [("b", .string("v")), ("n", .int(2))])))]))
        let cases: [(String, Value)] = [("x.a.b", .string("v")), ("x.a.n == 2", .bool(true)), ("x.a.b == 'v'", .bool(true)),
                                        ("'v' in [x.a.b]", .bool(true))]
        for (source, expected) in cases {
            #expect(env.compile(source).program?.evaluate(["x": x]) == expected, "\(source)")
        }
        guard case let .error(e)? = env.compile("x.a.missing").program?.evaluate(["x": x]) else {
            Issue.record("x.a.missing is not an error")
            return
        }
        #expect(e.message.contains("missing"))
    }
}
