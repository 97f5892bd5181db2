using System.Diagnostics;
using System.Globalization;
using NflCompute.Jobs.Nfl;
using NflCompute.Jobs.SeasonSim;
using NflCompute.Kernels.Nfl;

namespace NflCompute.Bench.Nfl;

/// <summary>
/// `nfl [runs] [--devices ids] [--large]`: the Elo sweep (4,096 parameter sets; with --large also
/// 65,536) and season simulations with standings and seeding (100k seasons: the whole 2025 regular
/// season, fixed and hot ratings, and the rest of it from its last played week; with --large also
/// 1,000,000 seasons fixed and hot) on every device present, medians of the runs, each with its
/// ratio to the SIMD CPU backend measured in the same run.
/// </summary>
internal static class NflBench
{
    public static int Run(string[] args)
    {
        var runs = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var r) ? r : 5;
        var large = args.Contains("--large");
        var devices = DeviceSelection.From(args);
        var parsed = GamesCsv.Parse(ShippedData.Read("games.csv"), League.Shipped, 2027);
        var games = NflCompute.Storage.Games.GameStore.InPlayOrder(parsed.Games);
        var schedule = EloInputs.Build(games, 2000).Schedule;

        var sweeps = new List<(string Label, EloSweepJob Job)> { ("4,096 sets", Sweep(schedule, 16, 16)) };
        if (large)
        {
            sweeps.Add(("65,536 sets", Sweep(schedule, 64, 64)));
        }

        var sims = new List<(string Label, int? AfterWeek, bool Hot, int Simulations)>
        {
            ("100k seasons, 2025 whole season, fixed", 0, false, 100_000),
            ("100k seasons, 2025 whole season, hot", 0, true, 100_000),
            ("100k seasons, 2025 from its last played week, fixed", null, false, 100_000),
        };
        if (large)
        {
            sims.Add(("1M seasons, 2025 whole season, fixed", 0, false, 1_000_000));
            sims.Add(("1M seasons, 2025 whole season, hot", 0, true, 1_000_000));
        }

        Console.WriteLine($"NFL jobs, {schedule.Games:N0} games (1999-2025) for the sweeps; medians of {runs} runs after a warm-up; x cpu = the SIMD CPU backend's time over this device's, same run");
        Console.WriteLine();
        Console.WriteLine("| job | device | time | throughput | x cpu |");
        Console.WriteLine("|---|---|---|---|---|");
        var cpu = new Dictionary<string, double>();
        foreach (var entry in devices)
        {
            using var device = entry.Open();
            foreach (var (label, job) in sweeps)
            {
                device.SweepElo(new EloSweepJob(schedule, job.Parameters.Take(64).ToList())); // compile and warm up
                var seconds = Median(runs, () => device.SweepElo(job));
                Row($"Elo sweep, {label}", entry.Id, seconds, $"{job.Parameters.Length / seconds:N0} sets/s, {job.Parameters.Length * (double)schedule.Games / seconds:E2} game updates/s", cpu);
            }

            foreach (var (label, afterWeek, hot, simulations) in sims)
            {
                var job = Season(games, afterWeek, hot, simulations);
                device.SimulateSeasons(Season(games, afterWeek, hot, 1_000)); // warm up
                var seconds = Median(runs, () => device.SimulateSeasons(job));
                Row($"Season simulation, {label} ({job.Home.Length} games left)", entry.Id, seconds, $"{job.Simulations / seconds:N0} seasons/s, {job.Simulations * (double)job.Home.Length / seconds:E2} games/s", cpu);
            }
        }

        return 0;
    }

    private static void Row(string job, string device, double seconds, string throughput, Dictionary<string, double> cpu)
    {
        if (device == "cpu")
        {
            cpu[job] = seconds;
        }

        var ratio = cpu.TryGetValue(job, out var c) ? (c / seconds).ToString("0.00", CultureInfo.InvariantCulture) : "-";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {job} | {device} | {seconds * 1e3:F1} ms | {throughput} | {ratio} |"));
    }

    // K over 16 values x home edge over `edges` x reversion over `reversions`.
    private static EloSweepJob Sweep(EloSchedule schedule, int edges, int reversions) =>
        new(schedule, [.. from k in Grid(10, 40, 16) from edge in Grid(0, 120, edges) from reversion in Grid(0, 0.6, reversions) select new EloParameters(k, edge, reversion, 2.2, 0.001)]);

    private static SeasonSimJob Season(IReadOnlyList<NflCompute.Storage.Games.GameRow> games, int? afterWeek, bool hot, int simulations) =>
        SeasonSimInputs.Build(games, 2025, afterWeek, hot, EloParameters.Classic, simulations, 1).Job;

    private static IEnumerable<double> Grid(double from, double to, int steps) =>
        Enumerable.Range(0, steps).Select(i => from + ((to - from) * i / (steps - 1)));

    private static double Median(int runs, Action action)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times.Add(clock.Elapsed.TotalSeconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
