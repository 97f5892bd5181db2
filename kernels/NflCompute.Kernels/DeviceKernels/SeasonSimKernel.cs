using ILGPU;
using ILGPU.Algorithms;
using NflCompute.Kernels.Random;

namespace NflCompute.Kernels.DeviceKernels;

/// <summary>
/// The rest of a regular season, one simulated season per thread: game results from the counter
/// RNG (fixed ratings, or ratings that move inside the season), standings, division titles, the
/// top seed and wild cards with the tie-breakers of <see cref="Nfl.SeasonSimulator"/>, step for
/// step, so with fixed ratings both give the same counts. Per-team totals are added atomically
/// (integer adds: the same in any order).
/// </summary>
public static class SeasonSimKernel
{
    /// <summary>The most teams a league may have (standings live in each thread's local memory).</summary>
    public const int MaxTeams = 64;

    /// <summary>The most games left a simulation may have (one result bit each, in local memory).</summary>
    public const int MaxGamesLeft = 2048;

    /// <summary>The kernel: thread <c>index</c> simulates seasons first + index, + stride, ... below end (one chunk of the host's).</summary>
    public static void Simulate(Index1D index, SeasonSimArgs args, ArrayView<long> totals, long first, long end, int stride)
    {
        var s = new Season
        {
            Points = LocalMemory.Allocate1D<int>(MaxTeams),
            DivisionPoints = LocalMemory.Allocate1D<int>(MaxTeams),
            ConferencePoints = LocalMemory.Allocate1D<int>(MaxTeams),
            Results = LocalMemory.Allocate1D<uint>(MaxGamesLeft / 32),
        };
        var scratch = new Scratch
        {
            Group = LocalMemory.Allocate1D<int>(MaxTeams),
            Order = LocalMemory.Allocate1D<int>(MaxTeams),
            Copy = LocalMemory.Allocate1D<int>(MaxTeams),
            Coin = LocalMemory.Allocate1D<uint>(MaxTeams),
            HeadToHead = LocalMemory.Allocate1D<double>(MaxTeams),
            Division = LocalMemory.Allocate1D<double>(MaxTeams),
            Conference = LocalMemory.Allocate1D<double>(MaxTeams),
            Winners = LocalMemory.Allocate1D<int>(MaxTeams),
        };
        var rating = LocalMemory.Allocate1D<double>(MaxTeams);
        for (long season = first + index; season < end; season += stride)
        {
            var (k1, k2) = CounterRng.Keys(args.Seed, 0x5EA5, (ulong)season);
            s.K1 = k1;
            s.K2 = k2;
            for (int t = 0; t < args.Teams; t++)
            {
                s.Points[t] = args.Points[t];
                s.DivisionPoints[t] = args.DivisionPoints[t];
                s.ConferencePoints[t] = args.ConferencePoints[t];
                rating[t] = args.Hot != 0 ? args.Ratings[t] : 0.0;
            }

            for (int w = 0; w * 32 < args.Games; w++)
            {
                s.Results[w] = 0u;
            }

            for (int g = 0; g < args.Games; g++)
            {
                int h = args.Home[g], a = args.Away[g];
                ulong draw = CounterRng.DrawWord(k1, k2, (uint)g);
                int homeWin;
                if (args.Hot != 0)
                {
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

                int awayWin = 1 - homeWin;
                int kind = args.GameKind[g];
                s.Points[h] += 2 * homeWin;
                s.Points[a] += 2 * awayWin;
                int division = (kind & 1) * 2, conference = (kind & 2);
                s.DivisionPoints[h] += division * homeWin;
                s.DivisionPoints[a] += division * awayWin;
                s.ConferencePoints[h] += conference * homeWin;
                s.ConferencePoints[a] += conference * awayWin;
                s.Results[g >> 5] |= (uint)homeWin << (g & 31);
            }

            Tally(args, s, scratch, totals);
        }
    }

    // Division titles, seeds and wild cards of one simulated season, added to the totals
    // [wins x2 | playoffs | division titles | top seeds].
    private static void Tally(SeasonSimArgs args, Season s, Scratch scratch, ArrayView<long> totals)
    {
        int teams = args.Teams;
        for (int t = 0; t < teams; t++)
        {
            Atomic.Add(ref totals[t], s.Points[t]);
        }

        ulong winners = 0;
        int divisions = (int)args.DivisionStart.Length - 1;
        for (int d = 0; d < divisions; d++)
        {
            int first = args.DivisionStart[d], count = args.DivisionStart[d + 1] - first;
            for (int i = 0; i < count; i++)
            {
                scratch.Group[i] = args.DivisionTeams[first + i];
            }

            Rank(args, s, scratch, count, true, 1);
            int winner = scratch.Group[0];
            scratch.Winners[d] = winner;
            winners |= 1UL << winner;
            Atomic.Add(ref totals[(2 * teams) + winner], 1L);
        }

        for (int c = 0; c < 2; c++)
        {
            int first = args.ConferenceDivisionStart[c], count = args.ConferenceDivisionStart[c + 1] - first;
            for (int i = 0; i < count; i++)
            {
                int winner = scratch.Winners[args.ConferenceDivisions[first + i]];
                scratch.Group[i] = winner;
                Atomic.Add(ref totals[teams + winner], 1L);
            }

            Rank(args, s, scratch, count, false, 1);
            Atomic.Add(ref totals[(3 * teams) + scratch.Group[0]], 1L);

            // Wild cards: the best of the rest.
            int wildCards = args.PlayoffTeams - count, rest = 0;
            for (int i = args.ConferenceTeamStart[c]; i < args.ConferenceTeamStart[c + 1]; i++)
            {
                int t = args.ConferenceTeams[i];
                if ((winners & (1UL << t)) == 0)
                {
                    scratch.Group[rest++] = t;
                }
            }

            Rank(args, s, scratch, rest, false, wildCards);
            for (int i = 0; i < rest && i < wildCards; i++)
            {
                Atomic.Add(ref totals[teams + scratch.Group[i]], 1L);
            }
        }
    }

    // Orders scratch.Group[0..length) by points, then breaks the level groups that reach into the
    // first `places` (the rest of the order decides nothing).
    private static void Rank(SeasonSimArgs args, Season s, Scratch scratch, int length, bool sameDivision, int places)
    {
        var teams = scratch.Group;
        for (int i = 1; i < length; i++)
        {
            int item = teams[i];
            int j = i - 1;
            while (j >= 0 && s.Points[teams[j]] < s.Points[item])
            {
                teams[j + 1] = teams[j];
                j--;
            }

            teams[j + 1] = item;
        }

        int start = 0;
        while (start < places && start < length)
        {
            int end = start + 1;
            while (end < length && s.Points[teams[end]] == s.Points[teams[start]])
            {
                end++;
            }

            if (end - start > 1)
            {
                BreakTie(args, s, scratch, start, end, sameDivision);
            }

            start = end;
        }
    }

    // Head-to-head among the level teams, then division record (within a division), then
    // conference record, then a coin flip from the season's draws.
    private static void BreakTie(SeasonSimArgs args, Season s, Scratch scratch, int start, int end, bool sameDivision)
    {
        var tied = scratch.Group;
        int n = end - start;
        ulong mask = 0;
        for (int i = start; i < end; i++)
        {
            mask |= 1UL << tied[i];
        }

        for (int i = 0; i < n; i++)
        {
            int x = tied[start + i];
            scratch.HeadToHead[i] = HeadToHead(args, s, x, mask);
            scratch.Division[i] = sameDivision ? Percentage(s.DivisionPoints[x], args.DivisionGames[x]) : 0.0;
            scratch.Conference[i] = Percentage(s.ConferencePoints[x], args.ConferenceGames[x]);
            scratch.Coin[i] = CounterRng.DrawWord(s.K1, s.K2, (uint)(args.Games + x));
            scratch.Order[i] = i;
        }

        for (int i = 1; i < n; i++)
        {
            int item = scratch.Order[i];
            int j = i - 1;
            while (j >= 0 && Before(scratch, item, scratch.Order[j]))
            {
                scratch.Order[j + 1] = scratch.Order[j];
                j--;
            }

            scratch.Order[j + 1] = item;
        }

        for (int i = 0; i < n; i++)
        {
            scratch.Copy[i] = tied[start + i];
        }

        for (int i = 0; i < n; i++)
        {
            tied[start + i] = scratch.Copy[scratch.Order[i]];
        }
    }

    // x's win percentage in games against the other teams of the mask (0.5 when none): the
    // points so far plus this season's results of the games left between them.
    private static double HeadToHead(SeasonSimArgs args, Season s, int x, ulong mask)
    {
        int earned = 0, games = 0;
        for (int y = 0; y < args.Teams; y++)
        {
            if (y == x || (mask & (1UL << y)) == 0)
            {
                continue;
            }

            int xy = (x * args.Teams) + y;
            earned += args.H2hPoints[xy];
            games += args.H2hGames[xy];
            for (int i = args.PairStart[xy]; i < args.PairStart[xy + 1]; i++)
            {
                int g = args.PairGames[i];
                int homeWon = (int)((s.Results[g >> 5] >> (g & 31)) & 1u);
                earned += 2 * (args.Home[g] == x ? homeWon : 1 - homeWon);
            }
        }

        return Percentage(earned, games);
    }

    private static double Percentage(int points, int games) => games == 0 ? 0.5 : points / (2.0 * games);

    private static bool Before(Scratch scratch, int i, int j) =>
        scratch.HeadToHead[i] != scratch.HeadToHead[j] ? scratch.HeadToHead[i] > scratch.HeadToHead[j]
        : scratch.Division[i] != scratch.Division[j] ? scratch.Division[i] > scratch.Division[j]
        : scratch.Conference[i] != scratch.Conference[j] ? scratch.Conference[i] > scratch.Conference[j]
        : scratch.Coin[i] < scratch.Coin[j];

    // One simulated season's standings and results, in the thread's local memory.
    private struct Season
    {
        public ArrayView<int> Points;
        public ArrayView<int> DivisionPoints;
        public ArrayView<int> ConferencePoints;
        public ArrayView<uint> Results;
        public uint K1;
        public uint K2;
    }

    // Working space of the tie-breakers, in the thread's local memory.
    private struct Scratch
    {
        public ArrayView<int> Group;
        public ArrayView<int> Order;
        public ArrayView<int> Copy;
        public ArrayView<uint> Coin;
        public ArrayView<double> HeadToHead;
        public ArrayView<double> Division;
        public ArrayView<double> Conference;
        public ArrayView<int> Winners;
    }
}
