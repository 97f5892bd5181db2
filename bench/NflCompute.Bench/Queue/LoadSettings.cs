using System.Globalization;

namespace NflCompute.Bench.Queue;

/// <summary>The load generator's command line: <c>load [--name value]...</c>.</summary>
public sealed record LoadSettings
{
    public string Redis { get; init; } = Environment.GetEnvironmentVariable("NFLC_Redis__Configuration") is { Length: > 0 } r ? r : "127.0.0.1:16379";

    public int Tasks { get; init; } = 100_000;

    public int SubmitBatch { get; init; } = 500;

    public int Claimers { get; init; } = 8;

    public int ClaimBatch { get; init; } = 100;

    public int PayloadBytes { get; init; }

    public int Runs { get; init; } = 3;

    public bool BullMq { get; init; } = true;

    public int BullMqJobs { get; init; } = 50_000;

    /// <summary>Grids the tasks are split over, worked at once (on a cluster, each in its own slot).</summary>
    public int Namespaces { get; init; } = 1;

    /// <summary>Redis:WaitForReplicas for our side (0: acknowledge once the master has it).</summary>
    public int WaitForReplicas { get; init; }

    /// <summary>Submissions inside a (sampled) span, so each task stores a traceparent.</summary>
    public bool Traced { get; init; }

    /// <summary>Submitters the tasks come from, batch by batch in turn (fair share); 0: none given.</summary>
    public int Submitters { get; init; }

    public static LoadSettings Parse(string[] args)
    {
        var s = new LoadSettings();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            s = args[i] switch
            {
                "--redis" => s with { Redis = Next() },
                "--tasks" => s with { Tasks = Int() },
                "--submit-batch" => s with { SubmitBatch = Int() },
                "--claimers" => s with { Claimers = Int() },
                "--claim-batch" => s with { ClaimBatch = Int() },
                "--payload" => s with { PayloadBytes = Int() },
                "--runs" => s with { Runs = Int() },
                "--bullmq-jobs" => s with { BullMqJobs = Int() },
                "--no-bullmq" => s with { BullMq = false },
                "--wait-for-replicas" => s with { WaitForReplicas = Int() },
                "--namespaces" => s with { Namespaces = Int() },
                "--traced" => s with { Traced = true },
                "--submitters" => s with { Submitters = Int() },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Options: --redis --tasks --submit-batch --claimers --claim-batch --payload --runs --bullmq-jobs --no-bullmq --wait-for-replicas --namespaces --traced --submitters"),
            };
        }

        return s;
    }
}
