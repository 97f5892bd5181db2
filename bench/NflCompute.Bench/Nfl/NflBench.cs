using System.Diagnostics;
using NflCompute.Jobs.Nfl;
using NflCompute.Kernels.Devices;
using NflCompute.Kernels.Nfl;

namespace NflCompute.Bench.Nfl;

/// <summary>
/// `nfl [runs]`: Elo sweep combinations per second on every backend present, and season
/// simulations per second (100k seasons with standings: the whole 2025 regular season from week 0,
/// fixed and hot ratings, and the rest of it from its last played week), medians of the runs.
/// </summary>
internal static class NflBench
{
    public static int Run(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var parsed = GamesCsv.Parse(ShippedData.Read("games.csv"), League.Shipped, 2027);
        var games = NflCompute.Storage.Games.GameStore.InPlayOrder(parsed.Games);
        var schedule = EloInputs.Build(games, 2000).Schedule;
        var sets = (from k in Grid(10, 40, 16) from edge in Grid(0, 120, 16) from reversion in Grid(0, 0.6, 16) select new EloParameters(k, edge, reversion, 2.2, 0.001)).ToList();
        var sweep = new EloSweepJob(schedule, sets);
        Console.WriteLine($"Elo sweep: {sets.Count:N0} parameter sets x {schedule.Games:N0} games (1999-2025), median of {runs}");
        foreach (var entry in DeviceCatalog.Discover())
        {
            using var device = entry.Open();
            device.SweepElo(new EloSweepJob(schedule, sets.Take(64).ToList())); // build and warm up
            var seconds = Median(runs, () => device.SweepElo(sweep));
            Console.WriteLine($"  {entry.Id,-10} {device.Profile.Name,-40} {seconds * 1e3,9:F1} ms  {sets.Count / seconds,12:N0} sets/s  {sets.Count * (double)schedule.Games / seconds,14:N0} game-updates/s");
        }

        Console.WriteLine($"Season simulation, 100,000 seasons with standings and seeding, cpu ({Environment.ProcessorCount} cores), median of {runs}");
        foreach (var (label, afterWeek, hot) in new[] { ("2025 whole season, fixed ratings", (int?)0, false), ("2025 whole season, hot ratings", 0, true), ("2025 from its last played week, fixed", null, false) })
        {
            var job = SeasonSimInputs.Build(games, 2025, afterWeek, hot, EloParameters.Classic, 100_000, 1).Job;
            SeasonSimulator.Run(job); // warm up
            var seconds = Median(runs, () => SeasonSimulator.Run(job));
            Console.WriteLine($"  {label,-40} {job.Home.Length,4} games left  {seconds * 1e3,8:F1} ms  {100_000 / seconds,12:N0} seasons/s  {100_000.0 * job.Home.Length / seconds,14:N0} games/s");
        }

        return 0;
    }

    private static IEnumerable<double> Grid(double from, double to, int steps) =>
        Enumerable.Range(0, steps).Select(i => from + ((to - from) * i / (steps - 1)));

    private static double Median(int runs, Action action)
    {
        var times = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times.Add(clock.Elapsed.TotalSeconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
