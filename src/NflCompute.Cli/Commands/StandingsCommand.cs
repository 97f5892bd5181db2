using System.CommandLine;
using NflCompute.Core;
using NflCompute.Jobs;
using NflCompute.Jobs.Nfl;
using NflCompute.Storage.Games;
using Spectre.Console;

namespace NflCompute.Cli.Commands;

/// <summary><c>nflc standings SEASON [--after-week W]</c>: division ranks and playoff seeds by the league's full tie-breakers.</summary>
internal static class StandingsCommand
{
    public static Command Create()
    {
        var season = new Argument<int>("season") { Description = "The season (its first year: 2024 is the 2024-25 season)." };
        var afterWeek = new Option<int?>("--after-week") { Description = "Count regular-season games through this week only." };
        var shipped = new Option<bool>("--shipped") { Description = "Read the shipped games file instead of the grid's Postgres." };
        var command = new Command("standings", """
            A season's standings: each division's order and the playoff seeds, by the league's full
            tie-breaking procedure (head-to-head, division, common games, conference, strength of
            victory and schedule, points rankings, net points; net touchdowns skipped: no data; coin
            toss from the counter generator), with how often each step decided a place.

            Examples:
              nflc standings 2024
              nflc standings 2025 --after-week 10 --json
              nflc standings 2007 --shipped
            """)
        { season, afterWeek, shipped };
        CliContext.Run(command, async (cli, parse, cancellationToken) =>
        {
            var year = parse.GetValue(season);
            IReadOnlyList<GameRow> games;
            if (parse.GetValue(shipped))
            {
                games = GamesCsv.Parse(ShippedData.Read("games.csv"), League.Shipped, year + 1).Games;
            }
            else
            {
                var db = cli.OpenPostgres();
                await using (db.ConfigureAwait(false))
                {
                    games = await new GameStore(db).ReadAsync(year, year, cancellationToken).ConfigureAwait(false);
                }

                if (games.Count == 0)
                {
                    return CliContext.Fail($"Postgres has no games of {year}: load them first (nflc load-games), or read the shipped file with --shipped.", ExitCodes.NotFound);
                }
            }

            SeasonStandings standings;
            try
            {
                standings = NflStandings.Compute(games, year, parse.GetValue(afterWeek));
            }
            catch (JobInputException e)
            {
                return CliContext.Fail(e.Message, ExitCodes.NotFound);
            }

            cli.Print(standings, () => Show(cli.Console, standings));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Show(IAnsiConsole console, SeasonStandings s)
    {
        console.MarkupLineInterpolated($"[bold]{s.Season} standings after week {s.AfterWeek}[/]");
        foreach (var division in s.Teams.GroupBy(t => $"{t.Conference} {t.Division}"))
        {
            var table = new Table().Title(Markup.Escape(division.Key)).AddColumns("team", "W", "L", "T", "pct", "PF", "PA", "seed");
            foreach (var t in division)
            {
                table.AddRow(t.Team, $"{t.Wins}", $"{t.Losses}", $"{t.Ties}", t.Percentage.ToString("F3", System.Globalization.CultureInfo.InvariantCulture), $"{t.PointsFor}", $"{t.PointsAgainst}", t.Seed is { } seed ? $"{seed}" : "");
            }

            console.Write(table);
        }

        foreach (var (conference, seeds) in s.Seeds)
        {
            console.MarkupLineInterpolated($"[bold]{conference} seeds[/]: {string.Join(", ", seeds.Select((t, i) => $"{i + 1} {t}"))}");
        }

        console.MarkupLineInterpolated($"Tie-breaking steps that decided a place: {(s.StepsDecided.Count == 0 ? "none" : string.Join(", ", s.StepsDecided.Select(p => $"{p.Key} {p.Value}")))}.");
    }
}
