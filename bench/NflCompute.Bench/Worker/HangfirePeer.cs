using System.Diagnostics;
using System.Globalization;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Redis.StackExchange;

namespace NflCompute.Bench.Worker;

/// <summary>
/// Hangfire 1.8 as the worker benchmark's peer, in a process of its own (its configuration is
/// global): on Postgres (Hangfire.PostgreSql 1.21) or on Redis (Hangfire.Redis.StackExchange
/// 1.12), one server with 40 workers, no-op jobs enqueued by 4 threads once the server runs; done
/// when its succeeded counter has them all. Prints "RESULT {"perSecond": ...}".
///   hangfire postgres|redis JOBS CONNECTION   (the connection string from the worker benchmark)
/// </summary>
public static class HangfirePeer
{
    public static int Run(string[] args)
    {
        var (storage, jobs, connection) = (args[0], int.Parse(args[1], CultureInfo.InvariantCulture), args[2]);
        var configuration = GlobalConfiguration.Configuration.UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
        if (storage == "postgres")
        {
            // The password arrives in PGPASSWORD, which Npgsql reads, not on the command line.
            configuration.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connection), new PostgreSqlStorageOptions { QueuePollInterval = TimeSpan.FromMilliseconds(100) });
        }
        else
        {
            configuration.UseRedisStorage(connection, new RedisStorageOptions { Prefix = "{hangfire-bench}:" });
        }

        using var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = 40 });
        var monitor = JobStorage.Current.GetMonitoringApi();
        var before = monitor.GetStatistics().Succeeded;
        var clock = Stopwatch.StartNew();
        var client = new BackgroundJobClient();
        Task.WaitAll([.. Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = w; i < jobs; i += 4)
            {
                client.Enqueue(() => NoopJob.Run());
            }
        }))]);
        while (monitor.GetStatistics().Succeeded - before < jobs)
        {
            Thread.Sleep(20);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $$"""RESULT {"perSecond": {{jobs / clock.Elapsed.TotalSeconds}}}"""));
        return 0;
    }
}

/// <summary>The job Hangfire runs: nothing.</summary>
public static class NoopJob
{
    public static void Run()
    {
    }
}
