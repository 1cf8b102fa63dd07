import Testing
@testable import ArbiterCLI

@Test func version_isSemanticVersion() {
    let parts = ArbiterVersion.string.split(separator: ".")
    #expect(parts.count == 3 && parts.allSatisfy { Int($0) != nil })
}
