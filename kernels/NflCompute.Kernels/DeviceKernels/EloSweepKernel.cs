using ILGPU;
using ILGPU.Algorithms;
using NflCompute.Kernels.Nfl;

namespace NflCompute.Kernels.DeviceKernels;

/// <summary>
/// The Elo parameter sweep (<see cref="EloSweepJob"/>): one parameter set per thread over every
/// game, operation for operation <see cref="EloEngine.Score"/>, with the ratings in the thread's
/// local memory.
/// </summary>
/// <remarks>
/// flags per game: bit 0 neutral site, bit 1 scored, bits 2-3 the home team's season start, bits
/// 4-5 the away team's (<see cref="SeasonStart"/>), bits 6-7 the neutral-site host (<see cref="NeutralSiteHost"/>). parameters: 5 per set (K, home edge,
/// reversion, margin scale, margin slope). sums: 3 per set (squared errors, log losses, games
/// scored). A device's pow and log, and a driver that fuses a multiply and an add, may move the
/// last bits, so sweeps agree with the reference engine to rounding, not bit for bit.
/// </remarks>
public static class EloSweepKernel
{
    /// <summary>The kernel: thread <c>index</c> takes sets first + index, + stride, ... below end (one chunk of the host's).</summary>
    public static void Sweep(
        Index1D index,
        ArrayView<int> home,
        ArrayView<int> away,
        ArrayView<int> flags,
        ArrayView<double> outcome,
        ArrayView<double> margin,
        ArrayView<double> seeds,
        ArrayView<double> parameters,
        ArrayView<double> sums,
        int first,
        int end,
        int stride)
    {
        var rating = LocalMemory.Allocate1D<double>(EloSweepJob.MaxTeams);
        int games = (int)home.Length;
        int teams = (int)seeds.Length;
        for (int c = first + index; c < end; c += stride)
        {
            double k = parameters[5 * c], edge = parameters[(5 * c) + 1], reversion = parameters[(5 * c) + 2];
            double scale = parameters[(5 * c) + 3], slope = parameters[(5 * c) + 4];
            for (int t = 0; t < teams; t++)
            {
                rating[t] = seeds[t];
            }

            double brier = 0.0, logLoss = 0.0, scored = 0.0;
            for (int g = 0; g < games; g++)
            {
                int h = home[g], a = away[g], f = flags[g];
                double rh = Start(rating[h], (f >> 2) & 3, reversion);
                double ra = Start(rating[a], (f >> 4) & 3, reversion);
                double d = rh - ra + ((f & 1) != 0 ? 0.0 : edge);
                double p = 1.0 / (XMath.Pow(10.0, -d / 400.0) + 1.0);
                double r = outcome[g];
                if (!XMath.IsNaN(r))
                {
                    if ((f & 2) != 0)
                    {
                        brier += (p - r) * (p - r);
                        double q = XMath.Min(XMath.Max(p, EloEngine.Epsilon), 1.0 - EloEngine.Epsilon);
                        logLoss -= (r * XMath.Log(q)) + ((1.0 - r) * XMath.Log(1.0 - q));
                        scored += 1.0;
                    }

                    // At a hosted neutral site the update sees the host's edge (EloEngine.UpdateShift).
                    int host = (f >> 6) & 3;
                    if (host != 0)
                    {
                        d += host == (int)NeutralSiteHost.Home ? edge : -edge;
                        p = 1.0 / (XMath.Pow(10.0, -d / 400.0) + 1.0);
                    }

                    double divisor = r == 0.5 ? 1.0 : (((r == 1.0 ? d : -d) * slope) + scale);
                    double m = XMath.Log(XMath.Max(margin[g], 1.0) + 1.0) * scale / divisor;
                    double shift = k * m * (r - p);
                    rh += shift;
                    ra -= shift;
                }

                rating[h] = rh;
                rating[a] = ra;
            }

            sums[3 * c] = brier;
            sums[(3 * c) + 1] = logLoss;
            sums[(3 * c) + 2] = scored;
        }
    }

    private static double Start(double rating, int start, double reversion) => start switch
    {
        (int)SeasonStart.Revert => ((1.0 - reversion) * rating) + (reversion * EloParameters.Mean),
        (int)SeasonStart.NewTeam => EloParameters.NewTeamRating,
        _ => rating,
    };
}
