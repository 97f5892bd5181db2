namespace NflCompute.Kernels.Statistics;

/// <summary>
/// A number as an unevaluated sum hi + lo of two doubles (about 32 significant digits), with the
/// few operations <see cref="StudentTail"/> needs: exact products by fused multiply-add, error-free
/// sums (Knuth's two-sum), division by a double, and log1p by the atanh series after reducing to
/// [1/sqrt 2, sqrt 2].
/// </summary>
internal readonly record struct DoubleDouble(double Hi, double Lo)
{
    // ln 2 to 32 digits, as hi + lo.
    private static readonly DoubleDouble Ln2 = new(6.93147180559945286227e-01, 2.31904681384629955842e-17);

    public static implicit operator DoubleDouble(double x) => new(x, 0);

    /// <summary>x^2, exactly.</summary>
    public static DoubleDouble Square(double x)
    {
        var hi = x * x;
        return new DoubleDouble(hi, Math.FusedMultiplyAdd(x, x, -hi));
    }

    public static DoubleDouble operator +(DoubleDouble a, DoubleDouble b)
    {
        var (s, e) = TwoSum(a.Hi, b.Hi);
        e += a.Lo + b.Lo;
        return Normalize(s, e);
    }

    public static DoubleDouble operator -(DoubleDouble a) => new(-a.Hi, -a.Lo);

    public static DoubleDouble operator -(DoubleDouble a, DoubleDouble b) => a + -b;

    public static DoubleDouble operator *(DoubleDouble a, DoubleDouble b)
    {
        var p = a.Hi * b.Hi;
        var e = Math.FusedMultiplyAdd(a.Hi, b.Hi, -p) + (a.Hi * b.Lo) + (a.Lo * b.Hi);
        return Normalize(p, e);
    }

    public static DoubleDouble operator *(DoubleDouble a, double b) => a * new DoubleDouble(b, 0);

    public static DoubleDouble operator /(DoubleDouble a, DoubleDouble b)
    {
        // One long-division step past the double quotient: q + (a - q b) / b.
        var q = a.Hi / b.Hi;
        var r = a - (b * q);
        return Normalize(q, r.Hi / b.Hi);
    }

    /// <summary>a / b for a double b.</summary>
    public static DoubleDouble Divide(DoubleDouble a, double b) => a / new DoubleDouble(b, 0);

    /// <summary>ln(1 + z) for z &gt; -1.</summary>
    public static DoubleDouble Log1p(DoubleDouble z)
    {
        // 1 + z = 2^k m with m in [1/sqrt 2, sqrt 2]; ln m = 2 atanh(u), u = (m - 1) / (m + 1), |u| <= 0.172.
        var w = z + 1.0;
        var k = Math.ILogB(w.Hi);
        var m = new DoubleDouble(Math.ScaleB(w.Hi, -k), Math.ScaleB(w.Lo, -k));
        if (m.Hi > Math.Sqrt(2))
        {
            k++;
            m = new DoubleDouble(m.Hi / 2, m.Lo / 2);
        }

        // For k = 0, m - 1 is z itself: no cancellation for a small z.
        var numerator = k == 0 ? z : m - 1.0;
        var u = numerator / (m + 1.0);
        var u2 = u * u;
        DoubleDouble sum = 0, power = u;
        for (var j = 0; j < 40; j++)
        {
            var term = Divide(power, (2 * j) + 1);
            sum += term;
            if (Math.Abs(term.Hi) <= Math.Abs(sum.Hi) * 1e-34)
            {
                break;
            }

            power *= u2;
        }

        return (sum * 2.0) + (Ln2 * k);
    }

    /// <summary>e^(hi + lo), rounded to a double: e^hi (1 + lo), lo being below an ulp of hi.</summary>
    public double Exp()
    {
        var e = Math.Exp(Hi);
        return e + (e * Lo);
    }

    private static (double Sum, double Error) TwoSum(double a, double b)
    {
        var s = a + b;
        var bb = s - a;
        return (s, (a - (s - bb)) + (b - bb));
    }

    private static DoubleDouble Normalize(double hi, double lo)
    {
        var s = hi + lo;
        return new DoubleDouble(s, lo - (s - hi));
    }
}
