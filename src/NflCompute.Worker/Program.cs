using NflCompute.Worker;

// nflc-worker: one worker process (see WorkerHost for how it is configured). `nflc worker` runs the
// same host. A worker that cannot run exits non-zero with one line saying why, so a supervisor
// (systemd, Kubernetes) restarts it and an operator sees the reason: see WorkerExit.
try
{
    await WorkerHost.RunAsync(args).ConfigureAwait(false);
    return NflCompute.Core.ExitCodes.Ok;
}
catch (Exception e)
{
    var (code, reason) = WorkerExit.For(e);
    await Console.Error.WriteLineAsync($"nflc-worker: {reason}").ConfigureAwait(false);
    return code;
}
