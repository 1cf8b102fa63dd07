import Testing
@testable import CEL

@Suite struct ExtensionValidatorTests {
    static let environment = Environment(libraries: CELExtensions.cerbos + [CELExtensions.networkLiteralValidation])

    @Test(arguments: [
        ("duration('1x')", "1:10: invalid duration argument: invalid duration: 1x"),
        ("timestamp('2020-13-01T00:00:00Z')", "1:11: invalid timestamp argument: timestamp parse error: 2020-13-01T00:00:00Z"),
        ("'a'.matches('(')", "1:13: invalid matches argument: error parsing regexp: missing ): ("),
        ("true &&\n  regex.extract('a', '[').hasValue()", "2:22: invalid regex.extract argument: error parsing regexp: missing ]: ["),
        ("ip('1.2.3')", "1:4: invalid ip argument: IP Address \"1.2.3\" parse error during conversion from string"),
    ])
    func invalidLiteral_isACompileErrorAtTheArgument(source: String, rendered: String) {
        let compiled = Self.environment.compile(source)
        #expect(compiled.program == nil)
        #expect(compiled.issues.map(\.description) == [rendered])
    }

    @Test(arguments: ["duration('1h30m')", "timestamp('2020-01-01T00:00:00Z') < now", "'a'.matches(p)",
                      "regex.replace('a', 'a+', 'b')", "duration(d)"])
    func validOrNonConstantArguments_compile(source: String) {
        let env = Self.environment.declaring([VariableDecl("now", .timestamp), VariableDecl("p", .string), VariableDecl("d", .string)])
        let compiled = env.compile(source)
        #expect(compiled.issues.isEmpty, "\(compiled.renderedIssues(source: source))")
    }

    @Test func conformanceEnvironment_hasNoValidators() {
        let compiled = Environment(libraries: CELExtensions.all).compile("duration('1x')")
        #expect(compiled.program != nil)
    }
}
