import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Call identifiers in ULID form (26 Crockford base-32 characters: 48 bits of Unix
/// milliseconds, then 80 bits), the value Cerbos returns as `cerbosCallId` and logs as `callId`.
///
/// The 80 low bits are a random 16-bit prefix drawn at start plus a 64-bit counter that starts at
/// a random value and is bumped atomically: unique within the process without taking a lock or
/// asking the kernel for randomness on every call (ids name calls; they are not secrets).
public final class AuditCallID: Sendable {
    private let prefix: UInt16
    private let counter: Atomic<UInt64>

    /// Seeds the generator from the system's random source.
    public init() {
        var rng = SystemRandomNumberGenerator()
        prefix = UInt16.random(in: .min ... .max, using: &rng)
        counter = Atomic(UInt64.random(in: .min ... .max, using: &rng))
    }

    /// The process's generator: every response's `cerbosCallId`, audited or not.
    public static let shared = AuditCallID()

    static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// A fresh id for a call made now.
    public func next() -> String {
        String(unsafeUninitializedCapacity: 26) { buffer in
            fill(buffer.baseAddress!)
            return 26
        }
    }

    /// Appends a fresh id's 26 ASCII characters to `bytes`: no `String`, no allocation once
    /// `bytes` has room.
    public func next(into bytes: inout [UInt8]) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: 26))
        bytes.withUnsafeMutableBufferPointer { fill($0.baseAddress! + start) }
    }

    private func fill(_ out: UnsafeMutablePointer<UInt8>) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let millis = UInt64(ts.tv_sec) &* 1000 &+ UInt64(ts.tv_nsec / 1_000_000)
        let low = counter.wrappingAdd(1, ordering: .relaxed).oldValue
        Self.encode(millis: millis, high16: prefix, low64: low, into: out)
    }

    /// The 26 characters for a 48-bit time and 80 bits of identity.
    static func encode(millis: UInt64, high16: UInt16, low64: UInt64) -> String {
        String(unsafeUninitializedCapacity: 26) { buffer in
            encode(millis: millis, high16: high16, low64: low64, into: buffer.baseAddress!)
            return 26
        }
    }

    /// Writes the 26 characters to `out`.
    static func encode(millis: UInt64, high16: UInt16, low64: UInt64, into out: UnsafeMutablePointer<UInt8>) {
        // 128 bits as two halves: hi = 48 bits of time then 16 bits; lo = 64 bits.
        let hi = (millis & 0xFFFF_FFFF_FFFF) << 16 | UInt64(high16)
        let lo = low64
        alphabet.withUnsafeBufferPointer { alphabet in
            // Character i holds bits [128 - 5*(26-i) ...]: the first character has 3 bits.
            for i in 0..<26 {
                let shift = 125 - 5 * i // bit position of the character's low bit, counted from 0
                let v: UInt64
                if shift >= 64 {
                    v = hi >> UInt64(shift - 64)
                } else if shift + 5 <= 64 {
                    v = lo >> UInt64(shift)
                } else {
                    v = (lo >> UInt64(shift)) | (hi << UInt64(64 - shift))
                }
                out[i] = alphabet[Int(v & 31)]
            }
        }
    }
}
