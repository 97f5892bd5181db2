using NflCompute.Storage.Games;

namespace NflCompute.Jobs.Nfl;

/// <summary>Reads the loaded games every NFL job starts from.</summary>
internal static class NflGames
{
    /// <summary>Every game from 1999 (Elo needs them all) through <paramref name="toSeason"/>, in the order played.</summary>
    /// <exception cref="JobInputException">No games are loaded, or none through <paramref name="toSeason"/> (the message says which, with the seasons loaded).</exception>
    public static async Task<IReadOnlyList<GameRow>> ThroughAsync(GameStore store, int? toSeason, CancellationToken cancellationToken)
    {
        var games = await store.ReadAsync(1999, toSeason ?? int.MaxValue, cancellationToken).ConfigureAwait(false);
        if (games.Count > 0)
        {
            return games;
        }

        throw await store.SeasonRangeAsync(cancellationToken).ConfigureAwait(false) is { } loaded
            ? new JobInputException($"no games through season {toSeason}: the loaded games cover seasons {loaded.First}-{loaded.Last}.")
            : new JobInputException("no games are loaded; run a load-games task first.");
    }
}
