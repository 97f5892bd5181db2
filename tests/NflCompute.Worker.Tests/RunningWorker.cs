using System.Diagnostics;
using System.Text;
using NflCompute.Storage;
using NflCompute.Storage.Tests;

namespace NflCompute.Worker.Tests;

/// <summary>An nflc-worker process, configured only through NFLC_* variables, with its output kept.</summary>
public sealed record RunningWorker(Process Process, StringBuilder Output) : IDisposable
{
    /// <summary>Starts a worker on <paramref name="redis"/> and the test cluster's <paramref name="database"/> (migrated), with extra NFLC_* settings last.</summary>
    public static RunningWorker Start(PostgresServer postgres, string redis, string ns, string database, params (string Name, string Value)[] extra) =>
        StartProgram(BuiltProgram("src/NflCompute.Worker", "nflc-worker"), [], postgres, redis, ns, database, extra);

    /// <summary>The path of program <paramref name="name"/> as the build of this test left it in <paramref name="project"/> (a folder under the checkout).</summary>
    public static string BuiltProgram(string project, string name)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../..", project, "bin", configuration, "net10.0", name + ".dll"));
    }

    /// <summary>Starts <paramref name="dll"/> with <paramref name="arguments"/> as <see cref="Start"/> starts nflc-worker: a program that hosts a worker of its own (samples/CustomJob).</summary>
    public static RunningWorker StartProgram(string dll, IEnumerable<string> arguments, PostgresServer postgres, string redis, string ns, string database, params (string Name, string Value)[] extra)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        ArgumentNullException.ThrowIfNull(extra);
        var info = new ProcessStartInfo("dotnet", [dll, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["NFLC_Redis__Configuration"] = redis;
        info.Environment["NFLC_Postgres__Host"] = postgres.Superuser.Host;
        info.Environment["NFLC_Postgres__Port"] = postgres.Superuser.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["NFLC_Postgres__Database"] = database;
        // As a real grid's workers do: logged in as nflc_worker, which may not change the schema.
        info.Environment["NFLC_Postgres__Username"] = StorageRoles.Worker;
        info.Environment["NFLC_Postgres__PasswordFile"] = postgres.Roles.WorkerPasswordFile;
        info.Environment["NFLC_Postgres__SslMode"] = "Disable";
        info.Environment["NFLC_Queue__Namespace"] = ns;
        info.Environment["NFLC_Worker__HeartbeatInterval"] = "00:00:01";
        info.Environment["NFLC_Worker__GracePeriod"] = "00:00:05";
        foreach (var (name, value) in extra)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RunningWorker(process, output);
    }

    /// <summary>A loopback port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        Process.Dispose();
    }
}
