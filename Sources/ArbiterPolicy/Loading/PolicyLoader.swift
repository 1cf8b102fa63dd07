import ArbiterYAML

/// Loads a directory (or an in-memory set of files) of Cerbos policies and checks them as a set.
public enum PolicyLoader {
    /// Message for a file holding more than one YAML document.
    public static let multipleDocuments = "more than one YAML document detected"

    /// Walks `directory` following Cerbos's loading rules, decodes every policy file and runs the set checks.
    /// File names in the result are relative to `directory`.
    public static func load(directory: String) -> LoadResult {
        load(directory: directory, reusing: nil).result
    }

    /// ``load(directory:)`` that decodes only the files whose bytes differ from `previous` (every file
    /// when nil) and returns what it decoded for the next call; the set checks always run on the whole set.
    public static func load(directory: String, reusing previous: DecodedFiles?) -> (result: LoadResult, decoded: DecodedFiles) {
        let root = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let found = DirectoryWalker(root: root).walk()
        var diagnostics: [Diagnostic] = []
        for dir in found.misplacedSchemas {
            diagnostics.append(Diagnostic(file: dir, line: 0, column: 0, message: PolicyPathRules.schemasInWrongPlace, stage: .index))
        }
        for error in found.errors {
            diagnostics.append(Diagnostic(file: error.path, line: 0, column: 0, message: error.message, stage: .parse))
        }
        var files: [(String, [UInt8])] = []
        files.reserveCapacity(found.files.count)
        for file in found.files {
            switch FileContents.read(root + "/" + file) {
            case let .success(bytes): files.append((file, bytes))
            case let .failure(error):
                diagnostics.append(Diagnostic(file: file, line: 0, column: 0, message: "cannot read file: \(error.message)", stage: .parse))
            }
        }
        let schemasRoot = root + "/" + PolicyPathRules.schemasDirectory + "/"
        return check(files: files, extraDiagnostics: diagnostics, reusing: previous) { path in
            // FileContents refuses anything but a regular file, through the open descriptor.
            guard case let .success(bytes) = FileContents.read(schemasRoot + path) else { return nil }
            return bytes
        }
    }

    /// Loads an in-memory file set keyed by relative path, applying the same skip rules as ``load(directory:)``.
    public static func load(files: [(path: String, contents: [UInt8])]) -> LoadResult {
        load(files: files, reusing: nil).result
    }

    /// ``load(files:)`` that decodes only the files whose bytes differ from `previous`, like
    /// ``load(directory:reusing:)``.
    public static func load(files: [(path: String, contents: [UInt8])], reusing previous: DecodedFiles?) -> (result: LoadResult, decoded: DecodedFiles) {
        var diagnostics: [Diagnostic] = []
        var misplaced = Set<String>()
        var kept: [(String, [UInt8])] = []
        let schemaPrefix = PolicyPathRules.schemasDirectory + "/"
        var schemaFiles: [String: [UInt8]] = [:]
        for file in files where file.path.hasPrefix(schemaPrefix) { schemaFiles[String(file.path.dropFirst(schemaPrefix.count))] = file.contents }
        for (path, contents) in files.sorted(by: { $0.path < $1.path }) {
            let verdict = PolicyPathRules.classify(relativePath: path)
            if let dir = verdict.misplacedSchemas, misplaced.insert(dir).inserted {
                diagnostics.append(Diagnostic(file: dir, line: 0, column: 0, message: PolicyPathRules.schemasInWrongPlace, stage: .index))
            }
            if verdict.include { kept.append((path, contents)) }
        }
        return check(files: kept, extraDiagnostics: diagnostics, reusing: previous) { schemaFiles[$0] }
    }

    /// Decodes every document of one file without set checks (Cerbos's parser behaviour: several documents are allowed here).
    public static func decodeDocuments(_ bytes: [UInt8], file: String) -> [(policy: Policy?, diagnostics: [Diagnostic])] {
        let documents: [YAMLNode]
        do {
            documents = try YAMLParser.parse(bytes, file: file)
        } catch {
            return [(nil, [yamlDiagnostic(error)])]
        }
        return documents.map { document in
            let decoder = PolicyDecoder(file: file)
            let policy = decoder.policy(document)
            return (policy, decoder.diagnostics)
        }
    }

    /// Decodes a single-document policy file, as the loader does for each file.
    /// A nil policy with no diagnostics means the file is empty or comments only.
    public static func decodeFile(_ bytes: [UInt8], file: String) -> (policy: Policy?, diagnostics: [Diagnostic]) {
        let documents: [YAMLNode]
        do {
            documents = try YAMLParser.parse(bytes, file: file)
        } catch {
            return (nil, [yamlDiagnostic(error)])
        }
        guard let document = documents.first else { return (nil, []) }
        if documents.count > 1 {
            let second = documents[1]
            return (nil, [Diagnostic(file: file, line: second.line, column: second.column, message: multipleDocuments, stage: .parse)])
        }
        if let s = document.scalar, s.resolved == .null, s.style == .plain { return (nil, []) }
        let decoder = PolicyDecoder(file: file)
        let policy = decoder.policy(document)
        guard var policy else { return (nil, decoder.diagnostics) }
        policy.file = file
        if policy.disabled {
            // Cerbos skips validation of disabled policies; only reading them must succeed.
            return (policy, decoder.diagnostics.filter { $0.stage == .parse })
        }
        return (policy, decoder.diagnostics)
    }

    static func yamlDiagnostic(_ error: YAMLError) -> Diagnostic {
        Diagnostic(file: error.file, line: error.mark.line, column: error.mark.column, message: error.message, stage: .parse)
    }

    static func check(files: [(String, [UInt8])], extraDiagnostics: [Diagnostic], reusing previous: DecodedFiles?,
                      schemaContents: @escaping (String) -> [UInt8]?) -> (result: LoadResult, decoded: DecodedFiles) {
        var diagnostics = extraDiagnostics
        var policies: [Policy] = []
        var disabled: [Policy] = []
        var emptyFiles: [String] = []
        var decoded = DecodedFiles()
        for (file, bytes) in files {
            let policy: Policy?, fileDiagnostics: [Diagnostic]
            if let previous {
                let entry = DecodedFiles.decode(bytes, path: file, previous: previous)
                decoded.files[file] = entry
                (policy, fileDiagnostics) = (entry.policy, entry.diagnostics)
            } else {
                (policy, fileDiagnostics) = decodeFile(bytes, file: file)
            }
            diagnostics.append(contentsOf: fileDiagnostics)
            guard let policy else {
                if fileDiagnostics.isEmpty { emptyFiles.append(file) }
                continue
            }
            if policy.disabled {
                if !fileDiagnostics.contains(where: { $0.stage == .parse }) { disabled.append(policy) }
                continue
            }
            // Policies that fail to read or validate stay out of the set, as in Cerbos's index.
            if fileDiagnostics.contains(where: { $0.stage <= .validation }) { continue }
            policies.append(policy)
        }
        var checker = PolicySetChecker(policies: policies, schemaContents: schemaContents)
        checker.run()
        diagnostics.append(contentsOf: checker.diagnostics)
        var result = LoadResult(policies: checker.uniquePolicies, disabledPolicies: disabled, diagnostics: Diagnostic.normalize(diagnostics),
                                fileCount: files.count, schemas: checker.schemas)
        result.emptyFiles = emptyFiles
        return (result, decoded)
    }
}
