// A kernel of your own on the grid's devices: a reliability table of home-win predictions.
//   dotnet run --project samples/CustomKernel -- [auto|cpu|ilgpu-cpu|cuda:0|opencl:0]
using System.Globalization;
using NflCompute.Kernels.Devices;
using Samples.CustomKernel;

var requested = args.FirstOrDefault() ?? "auto";
var devices = DeviceCatalog.Discover();
var entry = requested == "auto" ? DeviceCatalog.ChooseAuto(devices).Device : DeviceCatalog.Find(devices, requested);
using var device = entry.Open();

// A made-up season of 100,000 games whose predictions are a little overconfident.
var random = new Random(3);
var predictions = new double[100_000];
var outcomes = new double[predictions.Length];
for (var g = 0; g < predictions.Length; g++)
{
    var truth = random.NextDouble();
    predictions[g] = Math.Clamp(0.5 + (1.2 * (truth - 0.5)), 0, 1);
    outcomes[g] = random.NextDouble() < truth ? 1 : 0;
}

Console.WriteLine($"on {entry.Id} ({device.Profile.Name}):");
foreach (var bin in Calibration.Table(device, predictions, outcomes, bins: 10))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {bin.Low:F1}-{bin.High:F1}: {bin.Games,7:N0} games, predicted {bin.Predicted:F3}, observed {bin.Observed:F3}"));
}
