import ArbiterYAML
import Foundation

/// `${NAME}` and `${NAME:default}` in configuration values, replaced by the environment variable
/// `NAME` (or `default` when it is unset), as Cerbos's configuration allows. Done on the parsed
/// tree, scalar by scalar, so that positions in error messages stay those of the file and a
/// substituted value is resolved as the scalar it became (`${PORT:3592}` is a number).
///
/// Unlike Cerbos, which substitutes an empty string, an unset variable without a default is an
/// error naming the variable and where it is used: an empty policy directory or socket path is
/// never what an operator meant.
enum ConfigurationInterpolation {
    /// `node` with every `${...}` in its scalars replaced; problems are appended to `issues`.
    static func apply(_ node: YAMLNode, environment: [String: String], issues: inout [ConfigurationIssue]) -> YAMLNode {
        var out = node
        switch node.kind {
        case var .scalar(scalar):
            guard scalar.value.contains("${") else { return node }
            scalar.value = substitute(scalar.value, environment: environment) { message in
                issues.append(ConfigurationIssue(key: "", location: "\(node.file):\(node.line):\(node.column)", message: message))
            }
            out.kind = .scalar(scalar)
        case let .sequence(items):
            out.kind = .sequence(items.map { apply($0, environment: environment, issues: &issues) })
        case let .mapping(pairs):
            out.kind = .mapping(pairs.map { YAMLPair(key: $0.key, value: apply($0.value, environment: environment, issues: &issues)) })
        }
        return out
    }

    /// Replaces each `${NAME}` / `${NAME:default}` in `text`; `report` is told about malformed
    /// references and unset variables, which are left as written.
    static func substitute(_ text: String, environment: [String: String], report: (String) -> Void) -> String {
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            out += rest[..<start.lowerBound]
            let body = rest[start.upperBound...]
            guard let close = body.firstIndex(of: "}") else {
                report("\"${\" without a closing \"}\" in \"\(text)\"")
                out += rest[start.lowerBound...]
                return out
            }
            let reference = body[..<close]
            let name: Substring
            let fallback: Substring?
            if let colon = reference.firstIndex(of: ":") {
                name = reference[..<colon]
                fallback = reference[reference.index(after: colon)...]
            } else {
                name = reference
                fallback = nil
            }
            if !isVariableName(name) {
                report("\"${\(reference)}\" is not a variable reference; write ${NAME} or ${NAME:default}")
                out += rest[start.lowerBound...close]
            } else if let value = environment[String(name)] {
                out += value
            } else if let fallback {
                out += fallback
            } else {
                report("environment variable \(name) is not set; set it, or give a default as ${\(name):default}")
                out += rest[start.lowerBound...close]
            }
            rest = body[body.index(after: close)...]
        }
        out += rest
        return out
    }

    static func isVariableName(_ name: Substring) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
