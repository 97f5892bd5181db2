using NflCompute.Storage.Games;

namespace NflCompute.Jobs.Nfl;

/// <summary>Reads the loaded games every NFL job starts from.</summary>
internal static class NflGames
{
    /// <summary>Every game from 1999 (Elo needs them all) through <paramref name="toSeason"/>, in the order played.</summary>
    /// <exception cref="JobInputException">No games are loaded.</exception>
    public static async Task<IReadOnlyList<GameRow>> ThroughAsync(GameStore store, int? toSeason, CancellationToken cancellationToken)
    {
        var games = await store.ReadAsync(1999, toSeason ?? int.MaxValue, cancellationToken).ConfigureAwait(false);
        return games.Count > 0 ? games : throw new JobInputException("no games are loaded; run a load-games task first.");
    }
}
