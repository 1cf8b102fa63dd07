#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The evaluator's unsafe fast paths: the probes that switch the layout-dependent ones on, and
/// the switch that forces them off. Every read of memory through a pointer or a reinterpreted
/// bit pattern on the evaluation path lives in this folder (`ValuePayload`, `MapKeyBits`,
/// `MapValue.Box` in-place lookups, `Value` in-place operators, `StringBytes.sameRepresentation`)
/// or in `Frame`/`Program.run`, which hand out the slot pointer.
///
/// The invariants they rely on:
/// 1. Borrowed activation. While an evaluation runs, nothing writes to its activation or to the
///    activation's slot array: hosts bind variables between evaluations, and an evaluation nested
///    in another (a host object that evaluates an expression when read) either only reads the
///    same activation or runs against its own copy. The slot pointer (`Frame.slots`) and every
///    pointer `SlotPathNode.locate` returns into the maps it holds stay valid for the evaluation,
///    and no pointer outlives the `withUnsafe…` scope it came from.
/// 2. Maps do not change while borrowed. A map box is mutated only when uniquely referenced
///    (copy-on-write), and the activation holds a reference to every map reachable from it, so
///    an evaluation never mutates one it reads: each box stays alive (through its parent, the
///    root through the activation) and its storage stays where it is. Boxes are therefore held
///    unretained and values read through pointers into their storage.
/// 3. `Value.map` layout (probe `mapBoxReadable`): a `.map` value holds its box reference,
///    unchanged, in its first word (multi-payload enums put the payload at offset 0 and the tag
///    after it), so the box of a map read in place is one load.
/// 4. `MapKey` layout (probe `mapKeyBits`): 17 bytes, two payload words then the case tag, no
///    padding. Equal bytes are the same case with the same payload, hence equal keys; unequal
///    bytes prove nothing (another buffer with the same bytes), so a miss falls back to `==`.
/// 5. `String` layout (probe `stringRepresentation`): two words. Equal words are one small
///    string's inline bytes, or one shared buffer with the same count and flags, hence equal
///    bytes; unequal words prove nothing and the bytes are compared.
///
/// A probe checks its layout once, on sample values. When it fails, its path is off and
/// evaluation takes the copying path, with the same results. `ARBITER_CEL_SAFE_PATHS=1` in the
/// environment forces every probed path off, so the test suites can run the slow paths too.
public enum FastPaths {
    /// One probe and whether its fast path is on.
    public struct Probe: Sendable, Equatable {
        /// The probe's name, as the invariants above call it.
        public let name: String
        /// Whether the layout check passed on this toolchain (whatever the environment says).
        public let holds: Bool
        /// Whether the fast path is on: the probe holds and nothing forces it off.
        public let isOn: Bool
    }

    /// The environment variable that forces every probed fast path off when it is `1`.
    public static let safePathsVariable = "ARBITER_CEL_SAFE_PATHS"

    /// Whether `ARBITER_CEL_SAFE_PATHS=1` forces every probed fast path off.
    public static let forcedOff: Bool = {
        guard let raw = getenv(safePathsVariable) else { return false }
        return String(cString: raw) == "1"
    }()

    /// Invariant 3: maps are read in place (`SlotPathNode` walks and `locate`).
    static let mapBoxReadable = !forcedOff && ValuePayload.probeMapBox()
    /// Invariant 4: map keys compare by representation (`MapKeyBits.matches`).
    static let mapKeyBits = !forcedOff && MapKeyBits.probe()
    /// Invariant 5: strings compare by representation first (`StringBytes.sameRepresentation`).
    static let stringRepresentation = !forcedOff && StringBytes.probeRepresentation()

    /// Every probe with its outcome, for a host to report and for tests to assert.
    public static var probes: [Probe] {
        [Probe(name: "mapBoxReadable", holds: ValuePayload.probeMapBox(), isOn: mapBoxReadable),
         Probe(name: "mapKeyBits", holds: MapKeyBits.probe(), isOn: mapKeyBits),
         Probe(name: "stringRepresentation", holds: StringBytes.probeRepresentation(), isOn: stringRepresentation)]
    }

    /// One line naming the fast paths that are off and why, nil when all are on.
    public static var report: String? {
        let off = probes.filter { !$0.isOn }
        guard !off.isEmpty else { return nil }
        let names = off.map { $0.name + ($0.holds ? " (forced off by \(safePathsVariable)=1)" : " (probe failed)") }
        return "CEL fast paths off: " + names.joined(separator: ", ")
    }
}
