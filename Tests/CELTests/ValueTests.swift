import OrderedCollections
import Testing
@testable import CEL

@Suite struct MapKeyTests {
    @Test func mapKey_intAndUintWithSameValue_areTheSameKey() {
        var m = MapValue()
        m.storage[.int(1)] = .string("a")
        #expect(m[.uint(1)] != nil)
        #expect(m[.int(-1)] == nil)
        #expect(MapKey.int(-1) != MapKey.uint(UInt64(bitPattern: -1)))
    }
}
