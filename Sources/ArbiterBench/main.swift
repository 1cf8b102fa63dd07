// Benchmarks: run with `make bench` (release build). `ArbiterBench cel` times CEL evaluations
// (CELBench.swift); `ArbiterBench engine [seconds]` replays the Cerbos engine cases (EngineBench.swift).
let benchArguments = Array(CommandLine.arguments.dropFirst())
switch benchArguments.first {
case "cel":
    _ = CELBench.run()
case "engine":
    EngineBench.run(arguments: Array(benchArguments.dropFirst()))
default:
    print("usage: ArbiterBench cel | engine [seconds]")
}
