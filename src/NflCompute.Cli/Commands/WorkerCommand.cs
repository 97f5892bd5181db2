using System.CommandLine;
using NflCompute.Core;
using NflCompute.Worker;

namespace NflCompute.Cli.Commands;

/// <summary><c>nflc worker</c>: a worker in this process, with nflc's settings.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var concurrency = new Option<int?>("--concurrency") { Description = "Tasks run at once (Worker:Concurrency, default 2)." };
        var device = new Option<string?>("--device") { Description = "auto (default), cpu, cuda:N, opencl:N or ilgpu-cpu (Worker:Device)." };
        var id = new Option<string?>("--id") { Description = "Worker id (Worker:WorkerId, default host-pid-random)." };
        var metrics = new Option<string?>("--metrics-url") { Description = "Where /metrics and /health listen (Worker:MetricsUrl, default http://127.0.0.1:9464)." };
        var command = new Command("worker", """
            Run a worker: probe the device, register, claim the classes it qualifies for, run tasks, persist results.
            Stops gracefully on Ctrl-C or SIGTERM (finishes or hands back what it holds). Every Worker:* key
            of the README's configuration table can also be given with --set.

            Examples:
              nflc worker
              nflc worker --concurrency 4 --device cuda:0 --metrics-url http://0.0.0.0:9464
            """)
        { concurrency, device, id, metrics };
        CliContext.Run(command, async (cli, parse, _) =>
        {
            var args = new List<string>();
            void Flag(string key, string? value)
            {
                if (value is not null)
                {
                    args.Add($"--{key}={value}");
                }
            }

            Flag("Worker:Concurrency", parse.GetValue(concurrency)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Flag("Worker:Device", parse.GetValue(device));
            Flag("Worker:WorkerId", parse.GetValue(id));
            Flag("Worker:MetricsUrl", parse.GetValue(metrics));
            try
            {
                await WorkerHost.RunAsync([.. args], cli.Settings.Configuration).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (Exception e)
            {
                // The same code and reason as nflc-worker gives.
                var (code, reason) = WorkerExit.For(e);
                return CliContext.Fail(reason, code);
            }
        });
        return command;
    }
}
