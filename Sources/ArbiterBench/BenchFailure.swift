/// A benchmark that could not run or whose answers were wrong; the harness exits non-zero.
struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
