namespace NflCompute.Kernels.Statistics;

/// <summary>
/// Input the statistics engine cannot use, naming the input and, where one value is at fault, its
/// index: NaN or infinite values, probabilities outside [0, 1], lengths that differ, too few values.
/// </summary>
public sealed class StatisticsInputException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public StatisticsInputException(string input, int? index, string problem)
        : base(index is { } i ? $"{input}[{i}] {problem}" : $"{input}: {problem}", input)
    {
        Input = input;
        Index = index;
        Problem = problem;
    }

    /// <summary>What is wrong with the value, e.g. "is NaN; every value must be a finite number.".</summary>
    public string Problem { get; }

    /// <summary>The input at fault, e.g. <c>predictions[2]</c>.</summary>
    public string Input { get; }

    /// <summary>The index of the bad value, if one value is at fault.</summary>
    public int? Index { get; }

    internal static void ThrowIfNotFinite(ReadOnlySpan<double> values, string input)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new StatisticsInputException(input, i, $"is {values[i]}; every value must be a finite number.");
            }
        }
    }

    internal static void ThrowIfTooShort(int length, int minimum, string input)
    {
        if (length < minimum)
        {
            throw new StatisticsInputException(input, null, $"has {length} values; at least {minimum} are needed.");
        }
    }

    internal static void ThrowIfLengthsDiffer(int expected, int actual, string input, string other)
    {
        if (expected != actual)
        {
            throw new StatisticsInputException(input, null, $"has {actual} values but {other} has {expected}; they must be paired.");
        }
    }
}
