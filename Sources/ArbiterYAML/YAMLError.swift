/// A YAML syntax problem with the file and position where libyaml found it.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file being read.
    public var file: String
    /// Where the problem is (1-based).
    public var mark: YAMLMark
    /// What went wrong, in libyaml's words where it gives them.
    public var message: String

    /// Creates an error.
    public init(file: String, mark: YAMLMark, message: String) {
        self.file = file
        self.mark = mark
        self.message = message
    }

    /// `file:line:column: message`.
    public var description: String { "\(file):\(mark.line):\(mark.column): \(message)" }
}
