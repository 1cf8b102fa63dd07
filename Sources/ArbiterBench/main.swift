// Benchmarks: filled in by the benchmark work (issue 7); run with `make bench`.
_ = CELBench.run()
