using System.Globalization;
using System.Text.Json;
using NflCompute.Kernels.Statistics;

namespace NflCompute.Kernels.Tests;

/// <summary>Student t tails against 50-digit references (Golden/student_t.json, made with mpmath).</summary>
public sealed class StudentTailTests
{
    private static readonly JsonElement References = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "student_t.json"))).RootElement;

    // Tails below this are subnormal doubles, which carry fewer digits than any relative bound needs.
    private const double SmallestNormal = 2.2250738585072014e-308;

    [Fact]
    public void UpperTails_AgreeWithTheReferences_To1e14Relative_ForDf1To1e6AndTUpTo40()
    {
        var worst = (Error: 0.0, Case: "");
        var checkedCases = 0;
        foreach (var c in References.GetProperty("cases").EnumerateArray())
        {
            var (df, t) = (c.GetProperty("df").GetDouble(), c.GetProperty("t").GetDouble());
            var expected = double.Parse(c.GetProperty("upper").GetString()!, CultureInfo.InvariantCulture);
            var actual = StudentTail.Upper(t, df);
            if (expected < SmallestNormal)
            {
                Assert.True(actual < SmallestNormal * 4, $"df {df}, t {t}: {actual} for a subnormal tail {expected}");
                continue;
            }

            var error = Math.Abs(actual - expected) / expected;
            if (error > worst.Error)
            {
                worst = (error, $"df {df}, t {t}: {actual:R} vs {expected:R}");
            }

            checkedCases++;
        }

        Assert.True(worst.Error <= 1e-14, $"worst relative error {worst.Error:E2} at {worst.Case}");
        Assert.True(checkedCases > 1000, $"only {checkedCases} cases checked");
    }

    [Theory]
    [InlineData(0.5, 1)]
    [InlineData(3, 1)]
    [InlineData(-2, 1)]
    public void OneDegreeOfFreedom_IsTheCauchyTail(double t, double df) =>
        Assert.Equal(0.5 - (Math.Atan(t) / Math.PI), StudentTail.Upper(t, df), 1e-15);

    [Fact]
    public void TwoSided_IsTwiceTheSmallerTail_AndOneAtZero()
    {
        Assert.Equal(1, StudentTail.TwoSided(0, 10));
        Assert.Equal(2 * StudentTail.Upper(2.5, 12), StudentTail.TwoSided(-2.5, 12), 1e-16);
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentTail.Upper(1, 0));
        Assert.True(double.IsNaN(StudentTail.Upper(double.NaN, 3)) && double.IsNaN(StudentTail.TwoSided(double.NaN, 3)));
    }
}
