using Portal.Benchmarks.Running;

// scripts/bench.sh runs this: the portal's own overhead, measured against the sandbox. See docs/BENCHMARKS.md.
return await BenchmarkCommand.RunAsync(args, Console.Out, Console.Error);
