namespace NflCompute.Core.Statistics;

/// <summary>How a prediction is scored against what happened; lower is better for all of them.</summary>
public enum ScoringRule
{
    /// <summary>(p - y)^2 for a probability p of the outcome y in {0, 1}.</summary>
    Brier,

    /// <summary>-(y ln p + (1 - y) ln(1 - p)), with p clipped to [eps, 1 - eps] first.</summary>
    LogLoss,

    /// <summary>|prediction - outcome|, e.g. points of margin.</summary>
    AbsoluteError,

    /// <summary>(prediction - outcome)^2.</summary>
    SquaredError,
}
