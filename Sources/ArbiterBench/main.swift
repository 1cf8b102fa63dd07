// Benchmarks: filled in by the benchmark work (issue 7); run with `make bench`.
// `ArbiterBench engine [seconds]` replays the Cerbos engine cases (EngineBench.swift);
// without arguments the CEL benchmark runs.
let benchArguments = Array(CommandLine.arguments.dropFirst())
if benchArguments.first == "engine" {
    EngineBench.run(arguments: Array(benchArguments.dropFirst()))
} else {
    _ = CELBench.run()
}
