using BenchmarkDotNet.Attributes;
using NflCompute.Queue;
using NflCompute.Queue.Scripts;

namespace NflCompute.Bench.Queue;

/// <summary>
/// The client-side work of one submit batch of 500 tasks: validation, issuing the ids and building
/// the script's arguments (the serialization of the queue). Redis is not involved.
/// </summary>
[MemoryDiagnoser]
public class ClientHotPathBenchmarks
{
    private readonly QueueOptions _options = new();
    private readonly TaskIdSource _ids = new();
    private List<TaskSubmission> _batch = [];
    private long _now = 1_795_316_959_610;

    [Params(500)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup() =>
        _batch = Enumerable.Range(0, BatchSize)
            .Select(i => new TaskSubmission { Kind = "compare-models", Payload = "{\"dataset\":\"sha256:" + i + "\",\"resamples\":10000}", Priority = i % 3, CorrelationId = "c-" + i })
            .ToList();

    [Benchmark(Baseline = true)]
    public int BuildSubmitArgs()
    {
        var ids = new string[_batch.Count];
        _ids.Issue(++_now, ids);
        return TaskQueue.SubmitArgs(_batch, ids, _now).Count;
    }

    [Benchmark]
    public int ValidateBatch()
    {
        SubmissionValidator.Validate(_batch, _options);
        return _batch.Count;
    }

    [Benchmark]
    public int LookUpScript() => ScriptLibrary.Embedded[QueueScript.Claim].Length;
}
