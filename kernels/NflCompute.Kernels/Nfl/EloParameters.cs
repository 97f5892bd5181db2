namespace NflCompute.Kernels.Nfl;

/// <summary>
/// The constants of classic FiveThirtyEight NFL Elo; the defaults are 538's. Per game:
/// <c>d = home - away + HomeEdge</c> (no edge at a neutral site), <c>p = 1 / (10^(-d/400) + 1)</c>,
/// <c>m = ln(max(|pd|, 1) + 1) * MarginScale / (d_winner * MarginSlope + MarginScale)</c> (divisor 1
/// for a tie), <c>shift = K * m * (r - p)</c>; at a team's first game of a season its rating moves
/// <c>Reversion</c> of the way to <c>Mean</c>.
/// </summary>
/// <param name="K">Update speed. 538: 20.</param>
/// <param name="HomeEdge">Home-field advantage in Elo points. 538: 65.</param>
/// <param name="Reversion">Share of the way back to the mean between seasons. 538: 1/3.</param>
/// <param name="MarginScale">The margin multiplier's scale constant. 538: 2.2.</param>
/// <param name="MarginSlope">The margin multiplier's autocorrelation slope. 538: 0.001.</param>
public readonly record struct EloParameters(double K, double HomeEdge, double Reversion, double MarginScale, double MarginSlope)
{
    /// <summary>538's constants.</summary>
    public static EloParameters Classic => new(20, 65, 1.0 / 3, 2.2, 0.001);

    /// <summary>The rating seasons revert to. 538: 1505.</summary>
    public const double Mean = 1505;

    /// <summary>The rating of a franchise that starts (or returns) in the range: 1300.</summary>
    public const double NewTeamRating = 1300;

    /// <summary>Problems with these values, each naming the parameter.</summary>
    public IReadOnlyList<string> Validate(string where)
    {
        var problems = new List<string>();
        void Check(bool ok, string name, double value, string range)
        {
            if (!ok)
            {
                problems.Add($"{where}.{name} is {value}; it must be {range}.");
            }
        }

        Check(double.IsFinite(K) && K > 0 && K <= 200, "k", K, "in (0, 200]");
        Check(double.IsFinite(HomeEdge) && Math.Abs(HomeEdge) <= 400, "homeEdge", HomeEdge, "in [-400, 400]");
        Check(double.IsFinite(Reversion) && Reversion is >= 0 and <= 1, "reversion", Reversion, "in [0, 1]");
        Check(double.IsFinite(MarginScale) && MarginScale > 0 && MarginScale <= 100, "marginScale", MarginScale, "in (0, 100]");
        Check(double.IsFinite(MarginSlope) && MarginSlope is >= 0 and <= 0.01, "marginSlope", MarginSlope, "in [0, 0.01]");
        return problems;
    }
}
