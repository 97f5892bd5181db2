using System.Globalization;
using System.Text;
using NflCompute.Storage.Games;

namespace NflCompute.Jobs.Nfl;

/// <summary>
/// Reads a games CSV in the schema of the shipped file and checks every row: types, ranges
/// (scores >= 0, season 1999..next year, week 1..22), team codes the league used that season,
/// unique game_id, home != away, both scores or neither, result and total consistent with the
/// scores. Good rows come back typed; each bad row comes back with its line, column and reason.
/// </summary>
public static class GamesCsv
{
    /// <summary>Columns a file must have; the others of the games schema are optional.</summary>
    public static readonly IReadOnlyList<string> RequiredColumns =
        ["game_id", "season", "game_type", "week", "gameday", "away_team", "away_score", "home_team", "home_score", "location"];

    private static readonly HashSet<string> GameTypes = new(["REG", "WC", "DIV", "CON", "SB"], StringComparer.Ordinal);

    /// <summary>The outcome of reading a file.</summary>
    /// <param name="Games">Rows that passed every check.</param>
    /// <param name="Quarantined">Rows that did not, with line, column and reason.</param>
    /// <param name="Columns">The columns the file has: a column it lacks is left as stored when loading.</param>
    public sealed record Parsed(IReadOnlyList<GameRow> Games, IReadOnlyList<QuarantinedRow> Quarantined, IReadOnlySet<string> Columns);

    /// <summary>Parses and validates <paramref name="csv"/>.</summary>
    /// <exception cref="JobInputException">The header lacks a required column or names one twice (no row can be read).</exception>
    public static Parsed Parse(string csv, League league, int latestSeason)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(league);
        var lines = csv.Split('\n');
        var header = Fields(lines[0].TrimEnd('\r')).Select(name => name.Trim()).ToList();
        if (header.GroupBy(name => name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new JobInputException($"The games file's header (line 1) names column '{twice.Key}' twice; is the header missing? It needs {string.Join(", ", RequiredColumns)}.");
        }

        var index = header.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var missing = RequiredColumns.Where(c => !index.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw new JobInputException($"The games file's header (line 1) lacks {string.Join(", ", missing)}; it needs {string.Join(", ", RequiredColumns)}.");
        }

        var games = new List<GameRow>();
        var quarantined = new List<QuarantinedRow>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var n = 1; n < lines.Length; n++)
        {
            var raw = lines[n].TrimEnd('\r');
            if (raw.Length == 0)
            {
                continue;
            }

            var row = new Row(Fields(raw), index, n + 1);
            try
            {
                var game = row.ToGame(league, latestSeason);
                if (seen.TryGetValue(game.GameId, out var first))
                {
                    throw new RowException("game_id", $"duplicate game_id {game.GameId}; first on line {first}");
                }

                seen[game.GameId] = n + 1;
                games.Add(game);
            }
            catch (RowException e)
            {
                quarantined.Add(new QuarantinedRow(n + 1, e.Column, e.Message, raw));
            }
        }

        return new Parsed(games, quarantined, index.Keys.ToHashSet(StringComparer.Ordinal));
    }

    // RFC 4180 fields: commas separate, double quotes enclose, "" is a quote inside quotes.
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }

    private sealed class RowException(string? column, string message) : Exception(message)
    {
        public string? Column { get; } = column;
    }

    private sealed class Row(List<string> fields, Dictionary<string, int> index, int line)
    {
        public GameRow ToGame(League league, int latestSeason)
        {
            if (fields.Count != index.Count)
            {
                throw new RowException(null, $"{fields.Count} fields where the header has {index.Count}");
            }

            var id = Required("game_id");
            var season = Int("season", 1999, latestSeason) ?? throw Missing("season");
            var type = Required("game_type");
            if (!GameTypes.Contains(type))
            {
                throw new RowException("game_type", $"'{type}' is not one of REG, WC, DIV, CON, SB");
            }

            var week = Int("week", 1, 22) ?? throw Missing("week");
            var day = Required("gameday");
            if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var gameday))
            {
                throw new RowException("gameday", $"'{day}' is not a date (yyyy-MM-dd)");
            }

            var time = Optional("gametime");
            if (time is not null && !TimeOnly.TryParseExact(time, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                throw new RowException("gametime", $"'{time}' is not a time (HH:mm)");
            }

            var away = Team("away_team", league, season);
            var home = Team("home_team", league, season);
            if (string.Equals(home, away, StringComparison.Ordinal))
            {
                throw new RowException("home_team", $"home and away are both {home}");
            }

            var awayScore = Int("away_score", 0, 200);
            var homeScore = Int("home_score", 0, 200);
            if ((awayScore is null) != (homeScore is null))
            {
                throw new RowException(awayScore is null ? "away_score" : "home_score", "one score is present and the other is not");
            }

            var location = Required("location");
            if (location is not ("Home" or "Neutral"))
            {
                throw new RowException("location", $"'{location}' is not Home or Neutral");
            }

            if (homeScore is not null && Int("result", -200, 200) is { } result && result != homeScore - awayScore)
            {
                throw new RowException("result", $"result {result} is not home_score - away_score = {homeScore - awayScore}");
            }

            if (homeScore is not null && Int("total", 0, 400) is { } total && total != homeScore + awayScore)
            {
                throw new RowException("total", $"total {total} is not home_score + away_score = {homeScore + awayScore}");
            }

            return new GameRow(
                id, season, type, week, gameday, time, away, awayScore, home, homeScore, location,
                Flag("overtime"), Int("away_rest", 0, 400), Int("home_rest", 0, 400), Int("away_moneyline", -100_000, 100_000), Int("home_moneyline", -100_000, 100_000),
                Real("spread_line"), Real("total_line"), Flag("div_game") ?? false, Optional("roof"), Optional("surface"),
                Int("temp", -60, 150), Int("wind", 0, 150), Optional("stadium_id"));
        }

        private string? Optional(string column) =>
            index.TryGetValue(column, out var i) && fields[i].Trim() is { Length: > 0 } value && value != "NA" ? value : null;

        private string Required(string column) => Optional(column) ?? throw Missing(column);

        private static RowException Missing(string column) => new(column, $"{column} is empty");

        private int? Int(string column, int min, int max)
        {
            if (Optional(column) is not { } text)
            {
                return null;
            }

            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                throw new RowException(column, $"'{text}' is not a whole number");
            }

            return value >= min && value <= max ? value : throw new RowException(column, $"{value} is outside {min}..{max}");
        }

        private double? Real(string column)
        {
            if (Optional(column) is not { } text)
            {
                return null;
            }

            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                ? value
                : throw new RowException(column, $"'{text}' is not a number");
        }

        private bool? Flag(string column) => Optional(column) switch
        {
            null => null,
            "1" or "TRUE" or "true" => true,
            "0" or "FALSE" or "false" => false,
            var other => throw new RowException(column, $"'{other}' is not 0 or 1"),
        };

        private string Team(string column, League league, int season)
        {
            var code = Required(column);
            if (league.Alignment(code, season) is not null)
            {
                return code;
            }

            throw new RowException(column, league.Codes.Contains(code)
                ? $"team {code} did not play in {season}"
                : $"unknown team code '{code}'");
        }

        public override string ToString() => $"line {line}";
    }
}
