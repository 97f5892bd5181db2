using System.Text.Json;

namespace NflCompute.Kernels.Tests;

/// <summary>golden/stats.json: scipy 1.10 and exact-enumeration reference values.</summary>
public static class GoldenStats
{
    public static JsonElement Root { get; } = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "stats.json"))).RootElement;

    public static IEnumerable<JsonElement> Cases(string section) => Root.GetProperty(section).EnumerateArray();

    public static JsonElement Case(string section, string id) => Cases(section).Single(c => c.GetProperty("id").GetString() == id);

    public static double[] Doubles(this JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static double D(this JsonElement e, string name) => e.GetProperty(name).GetDouble();

    public static JsonElement P(this JsonElement e, string name) => e.GetProperty(name);

    /// <summary>Relative error within 1e-12 (deterministic quantities; summation order may differ).</summary>
    public static void Close(double expected, double actual, string what, double relative = 1e-12)
    {
        var tolerance = relative * Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (relative error {Math.Abs(expected - actual) / Math.Abs(expected):E2})");
    }

    /// <summary>The tolerance rule for Monte Carlo p-values (golden tolerances.mc_pvalue).</summary>
    public static void McPValue(double reference, double referenceSe, double actual, long m, bool doubled, string what)
    {
        var seTest = Math.Sqrt(reference * ((doubled ? 2 : 1) - reference) / m);
        var bias = (doubled ? 2.0 : 1.0) / (m + 1);
        var tolerance = (4 * Math.Sqrt((seTest * seTest) + (referenceSe * referenceSe))) + bias;
        Assert.True(actual >= 1.0 / (m + 1), $"{what}: p {actual} is below 1/(m+1)");
        Assert.True(Math.Abs(actual - reference) <= tolerance, $"{what}: p {actual:R} vs reference {reference:R}, tolerance {tolerance:E2}");
    }
}
