import ArgumentParser

/// The `arbiter` root command.
public struct ArbiterCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "arbiter",
        abstract: "A Cerbos-compatible policy decision point.",
        version: ArbiterVersion.string,
        subcommands: [ServeCommand.self, CompileCommand.self, EvalCommand.self, HealthCommand.self, CheckCommand.self,
                      PlanCommand.self]
    )
    public init() {}
}

/// Version and build identification, shared by `--version` and the ServerInfo method.
public enum ArbiterVersion {
    public static let string = "0.1.0"
    /// Free-form build identification reported by ServerInfo.
    public static let build = "swift-\(swiftVersion)"
    #if swift(>=6.3)
    static let swiftVersion = "6.3"
    #else
    static let swiftVersion = "6"
    #endif
}
