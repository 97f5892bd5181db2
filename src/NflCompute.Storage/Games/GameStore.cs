using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace NflCompute.Storage.Games;

/// <summary>
/// The <c>games</c> table: an idempotent upsert (loading the same file twice changes nothing and
/// says so), the quarantine of refused rows, and reads in the chronological order Elo needs.
/// </summary>
public sealed class GameStore(NpgsqlDataSource dataSource)
{
    private static readonly string[] Columns =
    [
        "game_id", "season", "game_type", "week", "gameday", "gametime", "away_team", "away_score", "home_team", "home_score",
        "location", "overtime", "away_rest", "home_rest", "away_moneyline", "home_moneyline", "spread_line", "total_line",
        "div_game", "roof", "surface", "temp", "wind", "stadium_id",
    ];

    private static readonly JsonSerializerOptions RowJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    // One statement: the rows travel as one jsonb array, typed by the table itself; a row already
    // stored exactly so is not touched, and xmax tells inserted rows from updated ones. Only the
    // columns the source has are compared and updated: a file without, say, moneylines leaves the
    // stored ones alone.
    private static string UpsertSql(IReadOnlyList<string> updated) => $"""
        WITH incoming AS (SELECT * FROM jsonb_populate_recordset(NULL::games, @rows)),
        written AS (
            INSERT INTO games ({string.Join(", ", Columns)})
            SELECT {string.Join(", ", Columns)} FROM incoming
            ON CONFLICT (game_id) DO UPDATE SET {string.Join(", ", updated.Select(c => $"{c} = EXCLUDED.{c}"))}, loaded_at = now()
            WHERE ({string.Join(", ", updated.Select(c => "games." + c))}) IS DISTINCT FROM ({string.Join(", ", updated.Select(c => "EXCLUDED." + c))})
            RETURNING (xmax = 0) AS inserted)
        SELECT count(*) FILTER (WHERE inserted)::int, count(*) FILTER (WHERE NOT inserted)::int FROM written
        """;

    /// <summary>
    /// Inserts new games, updates changed ones, leaves the rest; says how many of each. With
    /// <paramref name="columns"/>, only those columns of stored games are compared and updated.
    /// </summary>
    public async Task<GameLoadCounts> UpsertAsync(IReadOnlyList<GameRow> games, IReadOnlySet<string>? columns = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(games);
        var updated = Columns.Skip(1).Where(c => columns is null || columns.Contains(c)).ToList();
        if (games.Count == 0)
        {
            return new GameLoadCounts(0, 0, 0);
        }

        var command = dataSource.CreateCommand(UpsertSql(updated));
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("rows", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(games, RowJson));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var (inserted, changed) = (reader.GetInt32(0), reader.GetInt32(1));
                return new GameLoadCounts(inserted, changed, games.Count - inserted - changed);
            }
        }
    }

    /// <summary>Keeps the refused rows of one load, with where and why (a repeated load id replaces its rows: retries write once).</summary>
    public async Task QuarantineAsync(string loadId, string source, IReadOnlyList<QuarantinedRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var command = dataSource.CreateCommand("""
            DELETE FROM games_quarantine WHERE load_id = @load;
            INSERT INTO games_quarantine (load_id, source, line, column_name, reason, raw)
            SELECT @load, @source, * FROM unnest(@lines, @columns, @reasons, @raws)
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("load", loadId);
            command.Parameters.AddWithValue("source", source);
            command.Parameters.AddWithValue("lines", rows.Select(r => r.Line).ToArray());
            command.Parameters.AddWithValue("columns", rows.Select(r => r.Column).ToArray());
            command.Parameters.AddWithValue("reasons", rows.Select(r => r.Reason).ToArray());
            command.Parameters.AddWithValue("raws", rows.Select(r => r.Raw).ToArray());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The first and last season with games, or null when none are loaded.</summary>
    public async Task<(int First, int Last)?> SeasonRangeAsync(CancellationToken cancellationToken = default)
    {
        var command = dataSource.CreateCommand("SELECT min(season), max(season) FROM games");
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return reader.IsDBNull(0) ? null : (reader.GetInt32(0), reader.GetInt32(1));
            }
        }
    }

    /// <summary>The games of seasons <paramref name="fromSeason"/>..<paramref name="toSeason"/>, in the order they were played (day, kickoff, id).</summary>
    public async Task<IReadOnlyList<GameRow>> ReadAsync(int fromSeason, int toSeason, CancellationToken cancellationToken = default)
    {
        var command = dataSource.CreateCommand($"""
            SELECT {string.Join(", ", Columns)} FROM games WHERE season BETWEEN @from AND @to
            ORDER BY gameday, gametime NULLS FIRST, game_id
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("from", fromSeason);
            command.Parameters.AddWithValue("to", toSeason);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var games = new List<GameRow>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    games.Add(new GameRow(
                        reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetInt32(3), reader.GetFieldValue<DateOnly>(4), Text(reader, 5),
                        reader.GetString(6), Int(reader, 7), reader.GetString(8), Int(reader, 9), reader.GetString(10),
                        reader.IsDBNull(11) ? null : reader.GetBoolean(11), Int(reader, 12), Int(reader, 13), Int(reader, 14), Int(reader, 15),
                        reader.IsDBNull(16) ? null : reader.GetDouble(16), reader.IsDBNull(17) ? null : reader.GetDouble(17),
                        reader.GetBoolean(18), Text(reader, 19), Text(reader, 20), Int(reader, 21), Int(reader, 22), Text(reader, 23)));
                }

                return games;
            }
        }
    }

    /// <summary>Games in the order they were played (day, kickoff, id): the order <see cref="ReadAsync"/> returns and Elo needs.</summary>
    public static List<GameRow> InPlayOrder(IEnumerable<GameRow> games) =>
        [.. games.OrderBy(g => g.Gameday).ThenBy(g => g.Gametime, StringComparer.Ordinal).ThenBy(g => g.GameId, StringComparer.Ordinal)];

    private static int? Int(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetInt32(i);

    private static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
