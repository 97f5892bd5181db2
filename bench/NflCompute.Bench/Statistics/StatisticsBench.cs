using NflCompute.Core.Statistics;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NflCompute.Kernels.Statistics;

namespace NflCompute.Bench.Statistics;

/// <summary>
/// The statistics engine on every backend present, with scipy 1.10 on the same data in the same
/// run: permutation test and BCa bootstrap (n = 5000, 100k resamples), and 200 models x 5000
/// games x 10k resamples in one launch. Medians of the runs; results are checked to agree.
/// </summary>
public static class StatisticsBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = args.Length > 1 && args[0] == "--runs" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var skipScipy = args.Contains("--no-scipy");
        const int N = 5000;
        const long B = 100_000;

        // Brier-score differences of two noisy forecasters on simulated games.
        var random = new System.Random(20251017);
        var outcomes = new double[N];
        var a = new double[N];
        var b = new double[N];
        for (var i = 0; i < N; i++)
        {
            var truth = 0.2 + (0.6 * random.NextDouble());
            outcomes[i] = random.NextDouble() < truth ? 1 : 0;
            a[i] = Math.Clamp(truth + (0.12 * (random.NextDouble() - 0.5)), 0, 1);
            b[i] = Math.Clamp(truth + (0.10 * (random.NextDouble() - 0.5)), 0, 1);
        }

        var la = Scoring.Losses(ScoringRule.Brier, outcomes, a);
        var lb = Scoring.Losses(ScoringRule.Brier, outcomes, b);
        var d = la.Zip(lb, (x, y) => x - y).ToArray();
        var models = Enumerable.Range(0, 200).Select(m => d.Select((v, i) => v * (1 + (0.001 * m)) + (1e-4 * Math.Sin(i + m))).ToArray()).ToArray();

        Console.WriteLine($"Statistics engine, n = {N}, {B:N0} resamples; medians of {runs} runs (after a warm-up); (x cpu) = the SIMD CPU backend's time over this device's, same run");
        Console.WriteLine();
        Console.WriteLine("| backend | permutation test | BCa bootstrap | 200 models x 5000 x 10k |");
        Console.WriteLine("|---|---|---|---|");
        var timings = new List<(string Name, double Permutation, double Bootstrap, double Many)>();
        PermutationResult? reference = null;
        foreach (var entry in DeviceSelection.From(args))
        {
            var backend = entry.Open();
            PermutationTest.Run(backend, d, 10_000, seed: 1);
            Bootstrap.Run(backend, d, 10_000, 0.95, seed: 1);
            var permutation = Median(runs, () =>
            {
                var r = PermutationTest.Run(backend, d, B, seed: 42);
                if (reference is not null && r != reference)
                {
                    throw new InvalidOperationException($"{backend.Profile.Name} counts differ from the CPU's: {r} vs {reference}");
                }

                reference ??= r;
            });
            var bootstrap = Median(runs, () => Bootstrap.Run(backend, d, B, 0.95, seed: 43));
            var many = Median(Math.Min(runs, 3), () => PermutationTest.RunMany(backend, models, 10_000, seed: 44));
            timings.Add((backend.Profile.Name, permutation, bootstrap, many));
            var cpu = timings[0];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {entry.Id} ({backend.Profile.Name}) | {permutation * 1000:F1} ms ({cpu.Permutation / permutation:0.00}x) | {bootstrap * 1000:F1} ms ({cpu.Bootstrap / bootstrap:0.00}x) | {many * 1000:F0} ms ({cpu.Many / many:0.00}x) |"));
            backend.Dispose();
        }

        if (!skipScipy)
        {
            var file = Path.GetTempFileName();
            await File.WriteAllLinesAsync(file, d.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
            var json = JsonDocument.Parse(await ScipyAsync(file, B)).RootElement;
            var scipyPermutation = json.GetProperty("permutation_s").GetDouble();
            var scipyBootstrap = json.GetProperty("bootstrap_bca_s").GetDouble();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| scipy 1.10 (same run) | {scipyPermutation:F2} s | {scipyBootstrap:F2} s | |"));
            Console.WriteLine();
            foreach (var t in timings)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"- {t.Name}: permutation {scipyPermutation / t.Permutation:N0}x scipy, BCa bootstrap {scipyBootstrap / t.Bootstrap:N0}x scipy"));
            }

            File.Delete(file);
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Check: p two-sided {reference!.PTwoSided:F5}, observed {reference.Observed:E4}"));
        return 0;
    }

    private static double Median(int runs, Action body)
    {
        var seconds = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            body();
            seconds.Add(clock.Elapsed.TotalSeconds);
        }

        seconds.Sort();
        return seconds[seconds.Count / 2];
    }

    private static async Task<string> ScipyAsync(string file, long resamples)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "scipy", "stats_bench.py");
        // Debian's python3 carries python3-scipy (1.10); a python3 earlier on PATH may not.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var info = new ProcessStartInfo(python, [script, file, resamples.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start.");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output.Trim().Split('\n')[^1] : throw new InvalidOperationException($"scipy benchmark failed ({process.ExitCode}): {error} (install python3-scipy)");
    }
}
