using NflCompute.Client;

namespace Samples.CustomJob;

/// <summary>The client's side of <c>home-win-rate</c>: upload, submit, wait.</summary>
public static class HomeWinRateClient
{
    /// <summary>Runs home-win-rate over <paramref name="outcomes"/> on the grid.</summary>
    /// <exception cref="NflCompute.Core.Errors.TaskFailedException">The job failed, with the worker's reason (a value that is not 0 or 1, say).</exception>
    public static async Task<HomeWinRate> RunAsync(GridClient grid, double[] outcomes, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var id = await grid.SubmitAsync(new HomeWinRateSpec(await grid.UploadAsync(outcomes)));
        return await grid.WaitAsync<HomeWinRate>(id, timeout);
    }
}

/// <summary>Home results of one season's regular-season games from an nflverse-style games CSV.</summary>
public static class HomeOutcomes
{
    /// <summary>1 for each home win and 0 for each home loss of <paramref name="season"/>'s played regular-season games; ties are left out.</summary>
    /// <exception cref="FormatException">The header lacks a column the sample reads (named).</exception>
    public static double[] FromGamesCsv(IEnumerable<string> lines, int season)
    {
        ArgumentNullException.ThrowIfNull(lines);
        using var rows = lines.GetEnumerator();
        if (!rows.MoveNext())
        {
            throw new FormatException("the games file is empty.");
        }

        var header = rows.Current.Split(',');
        int Column(string name) => Array.IndexOf(header, name) is >= 0 and var at ? at : throw new FormatException($"the games file has no '{name}' column.");
        var (seasonAt, typeAt, homeAt, awayAt) = (Column("season"), Column("game_type"), Column("home_score"), Column("away_score"));
        var outcomes = new List<double>();
        while (rows.MoveNext())
        {
            var cells = rows.Current.Split(',');
            if (cells[seasonAt] == season.ToString(System.Globalization.CultureInfo.InvariantCulture) && cells[typeAt] == "REG"
                && int.TryParse(cells[homeAt], out var home) && int.TryParse(cells[awayAt], out var away) && home != away)
            {
                outcomes.Add(home > away ? 1 : 0);
            }
        }

        return [.. outcomes];
    }
}
