import ArbiterCLI

// The executable only hands over to the root command; everything else lives in ArbiterCLI.
await ArbiterCommand.main()
