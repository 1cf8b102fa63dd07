import ArgumentParser

/// The `arbiter` root command.
public struct ArbiterCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "arbiter",
        abstract: "A Cerbos-compatible policy decision point.",
        version: ArbiterVersion.string,
        subcommands: [CompileCommand.self]
    )
    public init() {}
}

/// Version and build identification, shared by `--version` and the ServerInfo method.
public enum ArbiterVersion {
    public static let string = "0.1.0"
}
