// Benchmarks: filled in by the benchmark work (issue 7); run with `make bench`.
// `ArbiterBench engine [seconds]` replays the Cerbos engine cases (EngineBench.swift);
// `ArbiterBench cel` runs the CEL micro-benchmarks (CELBench.swift).
let benchArguments = Array(CommandLine.arguments.dropFirst())
if benchArguments.first == "engine" {
    EngineBench.run(arguments: Array(benchArguments.dropFirst()))
} else if benchArguments.first == "cel" {
    _ = CELBench.run()
} else {
    print("usage: ArbiterBench engine [seconds] | ArbiterBench cel")
}
