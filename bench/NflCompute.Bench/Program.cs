using BenchmarkDotNet.Running;
using NflCompute.Bench.Queue;
using NflCompute.Bench.Statistics;

// `load ...` runs the end-to-end queue load generator, `stats ...` the statistics engine on every
// backend beside scipy, `worker [noops] [comparisons] [--warmup N] [--graphile] [--hangfire]` tasks through two worker processes (and the peers beside them), `hangfire postgres|redis jobs connection` one Hangfire run, `nfl [runs]` the Elo sweep and season simulation; anything else goes to BenchmarkDotNet (e.g. `--filter '*'`). Exit code 1
// when any benchmark or run failed.
if (args.Length > 0 && args[0] == "load")
{
    return await LoadGenerator.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "worker")
{
    return await NflCompute.Bench.Worker.WorkerBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "hangfire")
{
    return NflCompute.Bench.Worker.HangfirePeer.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "nfl")
{
    return NflCompute.Bench.Nfl.NflBench.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "stats")
{
    return await StatisticsBench.RunAsync(args[1..]);
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(LoadGenerator).Assembly).Run(args);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
