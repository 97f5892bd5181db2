using Npgsql;

namespace NflCompute.Storage.Games;

/// <summary>One game's Elo values as stored in <c>elo_ratings</c>.</summary>
/// <param name="GameId">The game.</param>
/// <param name="Season">Its season.</param>
/// <param name="HomeTeam">Home team code of the day.</param>
/// <param name="AwayTeam">Away team code of the day.</param>
/// <param name="HomePre">Home rating before the game.</param>
/// <param name="AwayPre">Away rating before the game.</param>
/// <param name="HomeWinProbability">Elo's home win probability.</param>
/// <param name="Spread">Elo point spread (home favoured when positive).</param>
/// <param name="HomePost">Home rating after the game; null while unplayed.</param>
/// <param name="AwayPost">Away rating after the game; null while unplayed.</param>
public sealed record EloRatingRow(string GameId, int Season, string HomeTeam, string AwayTeam, double HomePre, double AwayPre, double HomeWinProbability, double Spread, double? HomePost, double? AwayPost);

/// <summary>Per-game Elo of each elo-ratings run, keyed by run (the task id) and game; a rerun of a task replaces its rows.</summary>
public sealed class EloRatingStore(NpgsqlDataSource dataSource)
{
    /// <summary>Stores a run's rows in one transaction, replacing any earlier rows of the same run.</summary>
    public async Task WriteAsync(string runId, IReadOnlyList<EloRatingRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var command = new NpgsqlCommand("""
                    DELETE FROM elo_ratings WHERE run_id = @run;
                    INSERT INTO elo_ratings (run_id, game_id, season, home_team, away_team, elo_home_pre, elo_away_pre, home_win_prob, elo_spread, elo_home_post, elo_away_post)
                    SELECT @run, * FROM unnest(@games, @seasons, @homes, @aways, @home_pre, @away_pre, @prob, @spread, @home_post, @away_post);
                    """, connection, transaction);
                await using (command.ConfigureAwait(false))
                {
                    command.Parameters.AddWithValue("run", runId);
                    command.Parameters.AddWithValue("games", rows.Select(r => r.GameId).ToArray());
                    command.Parameters.AddWithValue("seasons", rows.Select(r => r.Season).ToArray());
                    command.Parameters.AddWithValue("homes", rows.Select(r => r.HomeTeam).ToArray());
                    command.Parameters.AddWithValue("aways", rows.Select(r => r.AwayTeam).ToArray());
                    command.Parameters.AddWithValue("home_pre", rows.Select(r => r.HomePre).ToArray());
                    command.Parameters.AddWithValue("away_pre", rows.Select(r => r.AwayPre).ToArray());
                    command.Parameters.AddWithValue("prob", rows.Select(r => r.HomeWinProbability).ToArray());
                    command.Parameters.AddWithValue("spread", rows.Select(r => r.Spread).ToArray());
                    command.Parameters.AddWithValue("home_post", rows.Select(r => r.HomePost).ToArray());
                    command.Parameters.AddWithValue("away_post", rows.Select(r => r.AwayPost).ToArray());
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
