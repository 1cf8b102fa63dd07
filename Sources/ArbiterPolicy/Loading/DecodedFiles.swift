/// The decoded policy files of one load, by path relative to the directory, kept so the next
/// load decodes only the files whose bytes changed (`PolicyLoader.load(directory:reusing:)`).
///
/// Holds what decoding a file yields and nothing of the set checks, which every load reruns
/// over the whole set.
public struct DecodedFiles: Sendable {
    /// What decoding one file's bytes gave.
    public struct File: Sendable {
        /// The digest of the bytes decoded.
        public let digest: ContentDigest
        /// The policy, nil for an empty file or one that failed to parse.
        public let policy: Policy?
        /// The file's own parse and validation diagnostics.
        public let diagnostics: [Diagnostic]
    }

    /// Files by relative path.
    public internal(set) var files: [String: File] = [:]

    /// No files: the next load decodes everything.
    public init() {}

    /// The digest of a file as last decoded, nil when it was not read.
    public func digest(of path: String) -> ContentDigest? { files[path]?.digest }

    /// The decode of `bytes` at `path`: the previous one when the bytes are the same, else a fresh one.
    static func decode(_ bytes: [UInt8], path: String, previous: DecodedFiles) -> File {
        let digest = ContentDigest(bytes)
        if let old = previous.files[path], old.digest == digest { return old }
        let (policy, diagnostics) = PolicyLoader.decodeFile(bytes, file: path)
        return File(digest: digest, policy: policy, diagnostics: diagnostics)
    }
}
