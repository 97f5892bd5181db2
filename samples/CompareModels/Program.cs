// Submits a model comparison to the grid and waits for it: the program a modeler starts from.
//   dotnet run --project samples/CompareModels -- --Redis:Configuration=127.0.0.1:6379
// Settings come from NFLC_* variables (NFLC_Redis__Configuration, NFLC_Queue__Namespace) and the
// command line. A worker must be running (`nflc worker`, or the demo).
using Microsoft.Extensions.Configuration;
using NflCompute.Client;
using Samples.CompareModels;

var options = new GridClientOptions();
new ConfigurationBuilder().AddEnvironmentVariables("NFLC_").AddCommandLine(args).Build().Bind(options);
await using var grid = await GridClient.ConnectAsync(options);
var result = await ComparisonSample.RunAsync(grid, ComparisonSample.ExampleSeason(games: 544, seed: 7), TimeSpan.FromMinutes(5));
Console.Write(ComparisonSample.Format(result));
