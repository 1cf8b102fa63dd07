import ArbiterCLI

/// The executable only hands over to the root command; everything else lives in ArbiterCLI.
@main
struct ArbiterMain {
    static func main() async {
        await ArbiterCommand.runAndExit()
    }
}
