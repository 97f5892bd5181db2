using System.Text;

namespace NflCompute.Jobs.Nfl;

/// <summary>The NFL data shipped inside this assembly (Nfl/Data, with its ATTRIBUTION.md).</summary>
public static class ShippedData
{
    /// <summary>The name load-games reports for the shipped games file.</summary>
    public const string GamesSource = "shipped games.csv (nflverse nfldata, CC BY 4.0)";

    /// <summary>Reads one shipped file: games.csv, divisions.csv or elo_ratings_end1998.csv.</summary>
    public static string Read(string file)
    {
        var assembly = typeof(ShippedData).Assembly;
        using var stream = assembly.GetManifestResourceStream("nfl/" + file)
            ?? throw new InvalidOperationException($"Nfl/Data/{file} is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
