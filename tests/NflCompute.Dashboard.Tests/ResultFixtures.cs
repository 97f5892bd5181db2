using NflCompute.Dashboard.Reports;

namespace NflCompute.Dashboard.Tests;

/// <summary>A result of each kind the reports draw, for the renderer's tests and the live grid's results pages.</summary>
internal static class ResultFixtures
{
    public static readonly ReportedResult Comparison = new("01m8aaaaaaaaaaaaaaa1", "compare-models", """
        {"device": "cpu", "models": [
          {"model": "elo", "improvement": 0.0126, "adjustedP": 0.153, "bootstrap": {"level": 0.95, "bcaLow": -0.0036, "bcaHigh": 0.0294}},
          {"model": "<b>market</b>", "improvement": 0.0271, "adjustedP": 0.009, "bootstrap": {"level": 0.95, "bcaLow": 0.0082, "bcaHigh": 0.044}}]}
        """);

    public static readonly ReportedResult Regression = new("01m8aaaaaaaaaaaaaaa2", "regression-check", """
        {"model": "elo", "version": "v2-k40", "rule": "brier", "meanLoss": 0.225, "games": 7184, "regressions": 1, "comparisons": [
          {"against": "previous", "version": "v1-classic", "difference": 0.0041, "pGreater": 0.0001, "adjustedP": 0.0002, "bcaLow": 0.0031, "bcaHigh": 0.0052, "regression": true}]}
        """);

    public static readonly ReportedResult Season = new("01m8aaaaaaaaaaaaaaa3", "season-sim", """
        {"season": 2025, "afterWeek": 13, "simulations": 20000, "teams": [
          {"team": "DEN", "playoffs": 0.997, "division": 0.958, "bye": 0.622, "superBowl": 0.216, "expectedWins": 13.38, "seeds": [0.622, 0.3, 0.075]},
          {"team": "KC", "playoffs": 0.402, "division": 0.006, "bye": 0.0, "superBowl": 0.019, "expectedWins": 9.56, "seeds": [0, 0.002, 0.4]}]}
        """);

    public static readonly ReportedResult Sweep = new("01m8aaaaaaaaaaaaaaa4", "elo-sweep", """
        {"combinations": 4, "bestByBrier": {"k": 25, "homeEdge": 60, "reversion": 0.3333333333333333, "marginScale": 2.2, "marginSlope": 0.001, "brier": 0.2205, "logLoss": 0.632},
         "surface": [
          {"k": 20, "homeEdge": 65, "reversion": 0.3333333333333333, "marginScale": 2.2, "marginSlope": 0.001, "brier": 0.2207, "logLoss": 0.633},
          {"k": 25, "homeEdge": 60, "reversion": 0.3333333333333333, "marginScale": 2.2, "marginSlope": 0.001, "brier": 0.2205, "logLoss": 0.632},
          {"k": 20, "homeEdge": 60, "reversion": 0.3333333333333333, "marginScale": 2.2, "marginSlope": 0.001, "brier": 0.2209, "logLoss": 0.634},
          {"k": 25, "homeEdge": 65, "reversion": 0.5, "marginScale": 2.2, "marginSlope": 0.001, "brier": 0.2301, "logLoss": 0.64}]}
        """);

    public static readonly ReportedResult Summary = new("01m8aaaaaaaaaaaaaaa5", "nfl-compare-summary", """
        {"seasons": 2, "pooled": [{"brier": [{"model": "elo", "meanLoss": 0.221, "baselineMeanLoss": 0.245, "improvement": 0.024, "adjustedP": 0.001}]}], "bySeason": [
          {"rule": "brier", "model": "elo", "season": 2023, "meanLoss": 0.2332, "improvement": 0.0126, "pTwoSided": 0.15, "holmAcrossSeasons": 0.15},
          {"rule": "brier", "model": "elo", "season": 2024, "meanLoss": 0.2129, "improvement": 0.0352, "pTwoSided": 0.001, "holmAcrossSeasons": 0.002},
          {"rule": "brier", "model": "market", "season": 2023, "meanLoss": 0.2186, "improvement": 0.0271, "pTwoSided": 0.004, "holmAcrossSeasons": 0.004},
          {"rule": "brier", "model": "market", "season": 2024, "meanLoss": 0.2010, "improvement": 0.047, "pTwoSided": 0.001, "holmAcrossSeasons": 0.002}]}
        """);

    public static readonly ReportedResult[] All = [Comparison, Regression, Season, Sweep, Summary];
}
