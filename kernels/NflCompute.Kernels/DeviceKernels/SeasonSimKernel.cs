using ILGPU;
using ILGPU.Algorithms;
using NflCompute.Kernels.Random;

namespace NflCompute.Kernels.DeviceKernels;

/// <summary>
/// The games left of a regular season, one simulated season per thread: each result from the
/// counter RNG exactly as <see cref="Nfl.SeasonSimulator"/> draws it (fixed ratings, or ratings
/// that move inside the season), written as one bit per game (1 = home win). The host turns the
/// bits into standings, tie-breakers and tallies with the same code as the CPU path: the
/// tie-breaking procedure is branchy, rare and sequential, the draws are the parallel part.
/// </summary>
public static class SeasonSimKernel
{
    /// <summary>The most teams a league may have (hot ratings live in each thread's local memory).</summary>
    public const int MaxTeams = 64;

    /// <summary>The most games left a simulation may have.</summary>
    public const int MaxGamesLeft = 2048;

    /// <summary>The 32-bit words of results per season.</summary>
    public static int Words(int games) => (games + 31) / 32;

    /// <summary>
    /// The kernel: thread <c>index</c> draws seasons first + index, + stride, ... below end, season s
    /// into row s - first of <paramref name="outcomes"/> (<see cref="Words"/> words each), and
    /// with hot ratings (when <paramref name="ratings"/> is not empty) its final ratings into row s - first of those.
    /// </summary>
    public static void Draw(Index1D index, SeasonSimArgs args, ArrayView<uint> outcomes, ArrayView<double> ratings, long first, long end, int stride)
    {
        var rating = LocalMemory.Allocate1D<double>(MaxTeams);
        int words = (args.Games + 31) / 32;
        for (long season = first + index; season < end; season += stride)
        {
            var (k1, k2) = CounterRng.Keys(args.Seed, 0x5EA5, (ulong)season);
            for (int t = 0; t < args.Teams; t++)
            {
                rating[t] = args.Hot != 0 ? args.Ratings[t] : 0.0;
            }

            long row = (season - first) * words;
            uint word = 0u;
            for (int g = 0; g < args.Games; g++)
            {
                ulong draw = CounterRng.DrawWord(k1, k2, (uint)g);
                int homeWin;
                if (args.Hot != 0)
                {
                    int h = args.Home[g], a = args.Away[g];
                    double p = 1.0 / (XMath.Pow(10.0, -(rating[h] - rating[a] + args.HomeEdge[g]) / 400.0) + 1.0);
                    homeWin = draw < (ulong)XMath.Round(p * 4294967296.0) ? 1 : 0;
                    double shift = args.K * (homeWin - p);
                    rating[h] += shift;
                    rating[a] -= shift;
                }
                else
                {
                    homeWin = draw < (ulong)args.Thresholds[g] ? 1 : 0;
                }

                word |= (uint)homeWin << (g & 31);
                if ((g & 31) == 31 || g == args.Games - 1)
                {
                    outcomes[row + (g >> 5)] = word;
                    word = 0u;
                }
            }

            // Hot ratings going on into the postseason: the season's own, at its end.
            if (args.Hot != 0 && ratings.Length > 0)
            {
                for (int t = 0; t < args.Teams; t++)
                {
                    ratings[((season - first) * args.Teams) + t] = rating[t];
                }
            }
        }
    }
}
