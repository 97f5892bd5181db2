namespace NflCompute.Storage.Games;

/// <summary>One NFL game as stored in <c>games</c> (the columns of the shipped games file; result and total are derived).</summary>
/// <param name="GameId">e.g. 2023_01_DET_KC.</param>
/// <param name="Season">The season (the year it started).</param>
/// <param name="GameType">REG, WC, DIV, CON or SB.</param>
/// <param name="Week">Week of the season, playoffs included.</param>
/// <param name="Gameday">Date of the game.</param>
/// <param name="Gametime">Kickoff, HH:mm, when known.</param>
/// <param name="AwayTeam">Away team code of the day.</param>
/// <param name="AwayScore">Away points; null while unplayed.</param>
/// <param name="HomeTeam">Home team code of the day.</param>
/// <param name="HomeScore">Home points; null while unplayed.</param>
/// <param name="Location">Home or Neutral.</param>
/// <param name="Overtime">Went to overtime.</param>
/// <param name="AwayRest">Away days of rest.</param>
/// <param name="HomeRest">Home days of rest.</param>
/// <param name="AwayMoneyline">Away moneyline (American odds).</param>
/// <param name="HomeMoneyline">Home moneyline.</param>
/// <param name="SpreadLine">Closing spread, home minus away points expected.</param>
/// <param name="TotalLine">Closing total.</param>
/// <param name="DivGame">A division game.</param>
/// <param name="Roof">Roof type.</param>
/// <param name="Surface">Playing surface.</param>
/// <param name="Temp">Temperature, F.</param>
/// <param name="Wind">Wind, mph.</param>
/// <param name="StadiumId">Stadium id.</param>
public sealed record GameRow(
    string GameId, int Season, string GameType, int Week, DateOnly Gameday, string? Gametime,
    string AwayTeam, int? AwayScore, string HomeTeam, int? HomeScore, string Location,
    bool? Overtime, int? AwayRest, int? HomeRest, int? AwayMoneyline, int? HomeMoneyline,
    double? SpreadLine, double? TotalLine, bool DivGame, string? Roof, string? Surface,
    int? Temp, int? Wind, string? StadiumId)
{
    /// <summary>Played: both scores are known.</summary>
    public bool Played => HomeScore is not null && AwayScore is not null;

    /// <summary>At a neutral site (no home edge).</summary>
    public bool Neutral => string.Equals(Location, "Neutral", StringComparison.Ordinal);
}
