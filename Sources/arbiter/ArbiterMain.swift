import ArbiterCLI
import ArgumentParser

/// The executable only hands over to the root command; everything else lives in ArbiterCLI.
/// `AsyncMainProtocol` makes argument-parser run the async entry point on Linux.
@main
struct ArbiterMain: AsyncMainProtocol {
    typealias Command = ArbiterCommand
}
