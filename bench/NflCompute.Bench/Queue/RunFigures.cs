namespace NflCompute.Bench.Queue;

/// <summary>One run's figures for one queue.</summary>
public sealed record RunFigures(double SubmitPerSecond, double ProcessPerSecond, double BytesPerWaitingTask, double CpuUsSubmit, double CpuUsProcess)
{
    public double EndToEndPerSecond => 1 / ((1 / SubmitPerSecond) + (1 / ProcessPerSecond));

    public override string ToString() =>
        $"submit {SubmitPerSecond:N0}/s, process {ProcessPerSecond:N0}/s, {BytesPerWaitingTask:F0} B/task, Redis CPU {CpuUsSubmit:F1} + {CpuUsProcess:F1} us/task";
}
