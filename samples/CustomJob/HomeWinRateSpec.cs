using System.Text.Json.Serialization;
using NflCompute.Core.Jobs;

namespace Samples.CustomJob;

/// <summary>
/// <c>home-win-rate</c>: the share of games the home team won, with its 95% Wilson score interval.
/// What the client sends; the grid's queue takes any kind, and a worker given
/// <see cref="HomeWinRateHandler"/> runs it.
/// </summary>
/// <param name="Outcomes">Dataset id of the outcomes: 1 for a home win, 0 for a loss.</param>
public sealed record HomeWinRateSpec(string Outcomes) : IJobSpec
{
    /// <summary>The kind's name, shared by the spec and its handler.</summary>
    public const string KindName = "home-win-rate";

    /// <inheritdoc />
    [JsonIgnore]
    public string Kind => KindName;
}

/// <summary>The result of <c>home-win-rate</c>.</summary>
/// <param name="Games">Games counted.</param>
/// <param name="Wins">Home wins among them.</param>
/// <param name="Rate">Wins over games.</param>
/// <param name="Low">The interval's lower end.</param>
/// <param name="High">The interval's upper end.</param>
public sealed record HomeWinRate(int Games, int Wins, double Rate, double Low, double High);
