/// Reads a payload of a `Value` in memory without copying the value, for evaluation paths that
/// walk maps in place: a copy of a map value retains its box, and matching `case let .map(m)`
/// on a value read through a pointer copies it whenever a call follows. Relies on invariants 2
/// and 3 of `FastPaths`.
enum ValuePayload {
    /// Whether a `.map` value keeps its box pointer unchanged in its first word, checked on a
    /// sample value (`FastPaths.mapBoxReadable`).
    static func probeMapBox() -> Bool {
        let map = MapValue()
        let value = Value.map(map)
        guard MemoryLayout<Value>.size > MemoryLayout<UInt>.size else { return false }
        let word = withUnsafeBytes(of: value) { $0.loadUnaligned(as: UInt.self) }
        return word == UInt(bitPattern: Unmanaged.passUnretained(map.box).toOpaque())
    }

    /// The box of the map value at `p`, unretained (the value keeps it alive). Only for values
    /// that are `.map`, and only when `FastPaths.mapBoxReadable`.
    @inline(__always)
    static func mapBox(_ p: UnsafePointer<Value>) -> Unmanaged<MapValue.Box> {
        UnsafeRawPointer(p).load(as: Unmanaged<MapValue.Box>.self)
    }
}
