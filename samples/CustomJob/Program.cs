// A job kind of your own: home-win-rate, run by a worker that also runs every kind the grid ships.
//   dotnet run --project samples/CustomJob -- worker              (a worker: NFLC_* settings, as nflc-worker)
//   dotnet run --project samples/CustomJob -- submit 2024 [games.csv]   (submits one season and waits)
using Microsoft.Extensions.Configuration;
using NflCompute.Client;
using NflCompute.Worker;
using Samples.CustomJob;

if (args is ["worker", .. var settings])
{
    await WorkerHost.RunAsync(settings, customHandlers: [new HomeWinRateHandler()]);
    return 0;
}

if (args is ["submit", var season, .. var rest])
{
    var file = rest.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "src/NflCompute.Jobs/Nfl/Data/games.csv";
    var options = new GridClientOptions();
    new ConfigurationBuilder().AddEnvironmentVariables("NFLC_").AddCommandLine([.. rest.Where(a => a.StartsWith("--", StringComparison.Ordinal))]).Build().Bind(options);
    await using var grid = await GridClient.ConnectAsync(options);
    var outcomes = HomeOutcomes.FromGamesCsv(File.ReadLines(file), int.Parse(season, System.Globalization.CultureInfo.InvariantCulture));
    var rate = await HomeWinRateClient.RunAsync(grid, outcomes, TimeSpan.FromMinutes(2));
    Console.WriteLine($"{season}: home teams won {rate.Wins} of {rate.Games} ({rate.Rate:P1}; 95% Wilson interval {rate.Low:P1} .. {rate.High:P1})");
    return 0;
}

await Console.Error.WriteLineAsync("usage: CustomJob worker [--Worker:...] | CustomJob submit SEASON [games.csv] [--Redis:...]");
return 2;
