/// Operations on values read in place through pointers (`SlotPathNode.locate`), for operators
/// that only look at their operands: they save the copy (a retain and a release) and the
/// outlined copy and destroy calls of each operand.
extension Value {
    /// Whether the value at `p` is an error or unknown.
    @inline(__always)
    static func isErrorOrUnknown(at p: UnsafePointer<Value>) -> Bool {
        switch p.pointee {
        case .error, .unknown: return true
        default: return false
        }
    }

    /// `celEquals` of the values at `a` and `b`; strings compare in place.
    @inline(__always)
    static func celEquals(at a: UnsafePointer<Value>, _ b: UnsafePointer<Value>) -> Bool {
        if case let .string(x) = a.pointee {
            if case let .string(y) = b.pointee { return StringBytes.equal(x, y) }
            return false
        }
        return celEquals(a.pointee, b.pointee)
    }

    /// `celEquals` of the value at `a` and `constant`, in that order unless `constantOnLeft`;
    /// a string compares in place.
    @inline(__always)
    static func celEquals(at a: UnsafePointer<Value>, constant: Value, constantOnLeft: Bool) -> Bool {
        if case let .string(y) = constant {
            if case let .string(x) = a.pointee { return StringBytes.equal(x, y) }
            return false
        }
        return constantOnLeft ? celEquals(constant, a.pointee) : celEquals(a.pointee, constant)
    }
}
