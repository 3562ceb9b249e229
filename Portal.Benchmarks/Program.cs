using Portal.Benchmarks.Commands;
using Portal.Benchmarks.Running;

// scripts/bench.sh runs this: the portal's own overhead, measured against the sandbox. See docs/BENCHMARKS.md.
// bench-synth and bench-deploy measure the engine alone; the synth scenario runs bench-synth in a process of its own.
return args.FirstOrDefault() switch
{
    "bench-synth" or "bench-deploy" => await EngineBenchmarkCommands.RunAsync(args, Console.Out, Console.Error),
    _ => await BenchmarkCommand.RunAsync(args, Console.Out, Console.Error),
};
