/// Which files in a policy directory are policies, following Cerbos's loading rules.
public enum PolicyPathRules {
    /// The schema directory; skipped at the root, an error anywhere else.
    public static let schemasDirectory = "_schemas"
    /// Directories with this name hold test fixtures and are skipped.
    public static let testDataDirectory = "testdata"
    /// The message for a `_schemas` directory that is not at the root.
    public static let schemasInWrongPlace = "_schemas directory must be under the root of the storage directory"

    /// What to do with a directory found while walking.
    public enum DirectoryVerdict: Sendable, Equatable {
        case descend, skip, misplacedSchemas
    }

    /// Decides on a directory given its name and depth (0 = directly under the root).
    public static func directory(named name: String, depth: Int) -> DirectoryVerdict {
        if isHidden(name) || name == testDataDirectory { return .skip }
        if name == schemasDirectory { return depth == 0 ? .skip : .misplacedSchemas }
        return .descend
    }

    /// True for `.yaml`, `.yml` and `.json` files that are not hidden and not `*_test.*` suites.
    public static func isPolicyFile(named name: String) -> Bool {
        guard !isHidden(name) else { return false }
        for ext in [".yaml", ".yml", ".json"] where name.hasSuffix(ext) {
            return !name.dropLast(ext.count).hasSuffix("_test")
        }
        return false
    }

    /// Hidden entries start with a dot.
    public static func isHidden(_ name: String) -> Bool {
        name.utf8.first == UInt8(ascii: ".")
    }

    /// Applies the rules to a relative path (`a/b/c.yaml`), for file sets that are not on disk.
    /// `include` says whether it is a policy file; `misplacedSchemas` names the misplaced `_schemas` directory it lies under.
    public static func classify(relativePath: String) -> (include: Bool, misplacedSchemas: String?) {
        let components = relativePath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let fileName = components.last else { return (false, nil) }
        for (depth, dir) in components.dropLast().enumerated() {
            switch directory(named: dir, depth: depth) {
            case .descend: continue
            case .skip: return (false, nil)
            case .misplacedSchemas: return (false, components[0...depth].joined(separator: "/"))
            }
        }
        return (isPolicyFile(named: fileName), nil)
    }
}
