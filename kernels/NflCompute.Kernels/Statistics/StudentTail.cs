namespace NflCompute.Kernels.Statistics;

/// <summary>
/// Student t tail probabilities to about 1e-15 relative, for any degrees of freedom and any t whose
/// tail is a normal double (tests/NflCompute.Kernels.Tests/Golden/student_t.json holds 50-digit
/// references from mpmath for df 1..10^6 and |t| up to 40).
/// </summary>
/// <remarks>
/// P(T &gt; t) = I_x(df/2, 1/2) / 2 for t &gt; 0, x = df / (df + t^2): the regularized incomplete beta by
/// its continued fraction (modified Lentz), from the side where it converges, times the prefactor
/// x^a (1-x)^b / B(a, b). A general incomplete beta loses digits in that prefactor for large df:
/// a ln x with a = df/2 is hundreds, so one rounding of x or of its log costs 1e-14 and more. So
/// a ln x = -a log1p(t^2/df) is formed in double-double (about 32 digits), and ln B(a, 1/2) is
/// ln sqrt(pi) minus ln(Gamma(a + 1/2) / Gamma(a)), whose asymptotic series (from the Bernoulli
/// numbers) is exact to 1e-19 for a &gt;= 20 and is reached from smaller a by the recurrence.
/// MathNet's Student t, whose incomplete beta is good to about 1e-12, is not used.
/// </remarks>
public static class StudentTail
{
    /// <summary>P(T &gt; t) for Student's t with <paramref name="degreesOfFreedom"/> (&gt; 0, may be fractional); NaN for a NaN t (a statistic of no spread).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The degrees of freedom are not positive.</exception>
    public static double Upper(double t, double degreesOfFreedom)
    {
        var both = BothTails(t, degreesOfFreedom);
        return t < 0 ? 1 - (both / 2) : both / 2;
    }

    /// <summary>Two-sided p: P(|T| &gt;= |t|); NaN for a NaN t.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The degrees of freedom are not positive.</exception>
    public static double TwoSided(double t, double degreesOfFreedom) => Math.Min(1, BothTails(t, degreesOfFreedom));

    // P(|T| >= |t|) = I_x(df/2, 1/2), after the argument checks (1 at t = 0, NaN for a NaN t).
    private static double BothTails(double t, double degreesOfFreedom)
    {
        if (!(degreesOfFreedom > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), $"Student t needs degrees of freedom > 0 (got {degreesOfFreedom}).");
        }

        return double.IsNaN(t) ? double.NaN : t == 0 ? 1 : IncompleteBetaHalf(Math.Abs(t), degreesOfFreedom);
    }

    // I_x(a, 1/2) with x = v / (v + t^2), a = v / 2, for t > 0.
    private static double IncompleteBetaHalf(double t, double v)
    {
        const double b = 0.5;
        var a = v / 2;
        if (double.IsPositiveInfinity(t * t))
        {
            return 0;
        }

        // x = v / (v + t^2) and y = 1 - x = t^2 / (v + t^2), each from its own formula, in double-double.
        var t2 = DoubleDouble.Square(t);
        var sum = t2 + v;
        var (x, y) = (new DoubleDouble(v, 0) / sum, t2 / sum);
        if (y.Hi == 0)
        {
            return 1;
        }

        // ln of x^a y^b / B(a, b): a ln x in double-double, the rest (small factors of logs) in double.
        var aLnX = DoubleDouble.Log1p(DoubleDouble.Divide(t2, v)) * -a;
        var rest = (b * (Math.Log(y.Hi) + (y.Lo / y.Hi))) - LnBetaHalf(a);
        var prefactor = (aLnX + rest).Exp();
        if (prefactor == 0)
        {
            return 0;
        }

        // The continued fraction converges fast for x < (a + 1) / (a + b + 2); past that, from the
        // other side, as 1 - I_y(b, a), unless that subtraction would cost more than two bits (an
        // answer below 1/4, near the switch for large a): then this side, in more steps. Near the
        // switch the fraction is ill-conditioned (a relative change of x moves it by up to about
        // a times as much), so it runs in double-double.
        if (x.Hi < (a + 1) / (a + b + 2))
        {
            return prefactor * ContinuedFraction(a, b, x) / a;
        }

        var other = 1 - (prefactor * ContinuedFraction(b, a, y) / b);
        return other >= 0.25 ? other : prefactor * ContinuedFraction(a, b, x) / a;
    }

    // ln B(a, 1/2) = ln Gamma(1/2) + ln Gamma(a) - ln Gamma(a + 1/2).
    private static double LnBetaHalf(double a) => (0.5 * Math.Log(Math.PI)) - LnGammaHalfRatio(a);

    // Bernoulli-number coefficients of ln(Gamma(a + 1/2) / Gamma(a)) - ln(a) / 2 in powers 1/a, 1/a^3, ...:
    // (-1)^n (2^(1-n) - 2) B_n / (n (n - 1)) for n = 2, 4, ..., 14.
    private static readonly double[] RatioSeries = [-1.0 / 8, 1.0 / 192, -1.0 / 640, 17.0 / 14336, -31.0 / 18432, 691.0 / 180224, -5461.0 / 425984];

    // ln(Gamma(a + 1/2) / Gamma(a)): the asymptotic series at a + n >= 20, and the recurrence
    // Gamma(z + 1) = z Gamma(z) back down (n factors, a few ulps).
    private static double LnGammaHalfRatio(double a)
    {
        var shift = 1.0;
        var z = a;
        for (; z < 20; z++)
        {
            shift *= z / (z + 0.5);
        }

        double inverse = 1 / z, square = inverse * inverse, sum = 0;
        for (var i = RatioSeries.Length - 1; i >= 0; i--)
        {
            sum = (sum * square) + RatioSeries[i];
        }

        return (0.5 * Math.Log(z)) + (sum * inverse) + Math.Log(shift);
    }

    // The continued fraction of I_x(a, b) (Numerical Recipes' betacf), by modified Lentz, in double-double.
    private static double ContinuedFraction(double a, double b, DoubleDouble x)
    {
        const double tiny = 1e-300, epsilon = 1e-17;
        double qab = a + b, qap = a + 1, qam = a - 1;
        static DoubleDouble Guard(DoubleDouble v) => Math.Abs(v.Hi) < tiny ? new DoubleDouble(tiny, 0) : v;
        DoubleDouble one = 1.0, c = one, d = Guard(one - DoubleDouble.Divide(x * qab, qap));
        d = one / d;
        var h = d;
        for (var m = 1; m <= 100_000; m++)
        {
            var m2 = 2 * m;
            var aa = x * (m * (b - m)) / ((qam + m2) * (a + m2));
            d = one / Guard(one + (aa * d));
            c = Guard(one + (aa / c));
            h *= d * c;
            aa = x * (-(a + m) * (qab + m)) / ((a + m2) * (qap + m2));
            d = one / Guard(one + (aa * d));
            c = Guard(one + (aa / c));
            var step = d * c;
            h *= step;
            if (Math.Abs(step.Hi - 1 + step.Lo) < epsilon)
            {
                return h.Hi + h.Lo;
            }
        }

        throw new InvalidOperationException($"The incomplete beta's continued fraction did not converge (a {a}, b {b}, x {x.Hi}).");
    }
}
