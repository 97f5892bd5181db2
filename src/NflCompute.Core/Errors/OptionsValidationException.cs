namespace NflCompute.Core.Errors;

/// <summary>
/// Configuration that cannot work. The message lists every problem at once, each naming the
/// setting as <c>Options.Property</c>.
/// </summary>
public sealed class OptionsValidationException : NflComputeException
{
    /// <summary>Creates the exception from the list of problems.</summary>
    public OptionsValidationException(IReadOnlyList<string> problems)
        : base("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
        => Problems = problems;

    /// <summary>Each problem, one per setting.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Throws when <paramref name="problems"/> is not empty.</summary>
    public static void ThrowIfAny(IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(problems);
        }
    }
}
