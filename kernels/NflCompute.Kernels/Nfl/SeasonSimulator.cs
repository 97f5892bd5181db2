using System.Runtime.Intrinsics;
using NflCompute.Kernels.Random;

namespace NflCompute.Kernels.Nfl;

/// <summary>
/// Monte Carlo of the rest of a regular season with standings and seeding. Season s draws game g
/// from the counter-based generator keyed by (seed, s), so results are the same on any machine and
/// any number of cores. Seasons are spread over the cores; each one keeps its standings on the stack.
/// <para>
/// Tie-breakers, applied to every group of teams level on win percentage (ties count half):
/// within a division (the division title) head-to-head percentage among the level teams, then
/// division record, then conference record, then a coin flip; across divisions (seeding and wild
/// cards) head-to-head percentage among the level teams, then conference record, then a coin flip.
/// This is a one-pass version of the league's procedure: it does not restart after eliminating a
/// team, requires no sweep for a multi-team head-to-head, and skips common games, strength of
/// victory and strength of schedule.
/// </para>
/// </summary>
[System.Runtime.CompilerServices.SkipLocalsInit] // every stack buffer below is filled before it is read
public static class SeasonSimulator
{
    private const int Block = 256;
    private const int Lanes = 8;

    /// <summary>Simulates <see cref="SeasonSimJob.Simulations"/> seasons.</summary>
    /// <exception cref="ArgumentException">The job is inconsistent; the message lists every problem.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (checked between blocks of 256 seasons).</exception>
    public static SeasonSimResult Run(SeasonSimJob job, CancellationToken cancellationToken = default) => Run(job, wide: true, cancellationToken);

    // wide: false keeps every season on the one-at-a-time path (tests compare the two).
    internal static SeasonSimResult Run(SeasonSimJob job, bool wide, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var problems = job.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(job));
        }

        var plan = new Plan(job);
        var totals = new long[job.Teams * 4];
        var blocks = (job.Simulations + Block - 1) / Block;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, () => new long[job.Teams * 4], (b, _, counts) =>
        {
            var end = Math.Min(job.Simulations, (b + 1) * Block);
            var s = b * Block;
            if (wide && job.Ratings is null && Vector256.IsHardwareAccelerated)
            {
                for (; s + Lanes <= end; s += Lanes)
                {
                    plan.SimulateEight((ulong)s, counts);
                }
            }

            for (; s < end; s++)
            {
                plan.Simulate((ulong)s, counts);
            }

            return counts;
        }, counts => Add(totals, counts));

        return plan.Layout.Result(totals);
    }

    /// <summary>Seasons a device draws at once for <see cref="RunDrawn"/>.</summary>
    internal const int DrawnChunk = 1 << 16;

    /// <summary>
    /// Simulates seasons whose results are drawn elsewhere (a device): <paramref name="draw"/>
    /// fills, for seasons first .. first + count - 1, one row of (games + 31) / 32 words each, bit g
    /// of a row being game g's home win exactly as <see cref="Run(SeasonSimJob, CancellationToken)"/>
    /// draws it; standings, tie-breakers and tallies are this class's, so both paths agree.
    /// </summary>
    internal static SeasonSimResult RunDrawn(SeasonSimJob job, Action<long, int, uint[]> draw, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(draw);
        var plan = new Plan(job);
        var words = (job.Home.Length + 31) / 32;
        var totals = new long[job.Teams * 4];
        var rows = new uint[Math.Max(1, (int)Math.Min(job.Simulations, DrawnChunk) * words)];
        for (long first = 0; first < job.Simulations; first += DrawnChunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = (int)Math.Min(DrawnChunk, job.Simulations - first);
            draw(first, count, rows);
            var chunkFirst = first;
            Parallel.For(0, (count + Block - 1) / Block, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, () => new long[job.Teams * 4], (b, _, counts) =>
            {
                for (var s = b * Block; s < Math.Min(count, (b + 1) * Block); s++)
                {
                    plan.SimulateDrawn((ulong)(chunkFirst + s), rows.AsSpan(s * words, words), counts);
                }

                return counts;
            }, counts => Add(totals, counts));
        }

        return plan.Layout.Result(totals);
    }

    private static void Add(long[] totals, long[] counts)
    {
        lock (totals)
        {
            for (var i = 0; i < totals.Length; i++)
            {
                totals[i] += counts[i];
            }
        }
    }

    // One game left, as the inner loop reads it: teams, the points a win is worth in the division
    // and conference standings, and the home win threshold on a 32-bit draw.
    private readonly record struct GameSlot(int Home, int Away, int DivisionPoints, int ConferencePoints, ulong Threshold)
    {
        // The threshold for a signed compare of draws shifted by 2^31; Certain is all ones when
        // the home team always wins (threshold 2^32).
        public int BiasedThreshold => Threshold >= 1UL << 32 ? int.MaxValue : (int)((uint)Threshold ^ 0x80000000u);

        public int Certain => Threshold >= 1UL << 32 ? -1 : 0;

        public int DivisionMask => DivisionPoints == 0 ? 0 : -1;

        public int ConferenceMask => ConferencePoints == 0 ? 0 : -1;
    }

    // Everything that is the same in every simulated season, laid out for the inner loop.
    [System.Runtime.CompilerServices.SkipLocalsInit]
    private sealed class Plan
    {
        private readonly SeasonSimJob _job;
        private readonly int _teams;
        private readonly int _games;
        private readonly GameSlot[] _slots;
        private readonly int[] _points;
        private readonly int[] _divisionPoints;
        private readonly int[] _conferencePoints;
        private readonly int[] _divisionGames;
        private readonly int[] _conferenceGames;
        private readonly int[] _h2hPoints;
        private readonly int[] _h2hGames;
        private readonly int[] _h2hGamesLeft;
        private readonly int[][] _divisions;
        private readonly int[][] _conferenceDivisions;
        private readonly int[][] _conferenceTeams;

        public Plan(SeasonSimJob job)
        {
            var layout = new SeasonLayout(job);
            Layout = layout;
            (_job, _teams, _games) = (job, layout.Teams, layout.Games);
            (_points, _divisionPoints, _conferencePoints) = (layout.Points, layout.DivisionPoints, layout.ConferencePoints);
            (_divisionGames, _conferenceGames) = (layout.DivisionGames, layout.ConferenceGames);
            (_h2hPoints, _h2hGames, _h2hGamesLeft) = (layout.H2hPoints, layout.H2hGames, layout.H2hGamesLeft);
            _slots = [.. Enumerable.Range(0, _games).Select(g => new GameSlot(job.Home[g], job.Away[g], layout.DivisionGame[g] ? 2 : 0, layout.ConferenceGame[g] ? 2 : 0, layout.Thresholds[g]))];
            (_divisions, _conferenceDivisions, _conferenceTeams) = (layout.Divisions, layout.ConferenceDivisions, layout.ConferenceTeams);
        }

        public SeasonLayout Layout { get; }

        // counts: [wins x2 | playoffs | division titles | top seeds], each _teams long.
        public void Simulate(ulong season, long[] counts)
        {
            var (k1, k2) = CounterRng.Keys(_job.Seed, 0x5EA5, season);
            var state = new Season(this, k1, k2, stackalloc int[_teams], stackalloc int[_teams], stackalloc int[_teams], stackalloc int[_teams * _teams], 1, 0);
            state.Wins.Clear();
            _points.CopyTo(state.Points);
            _divisionPoints.CopyTo(state.DivisionPoints);
            _conferencePoints.CopyTo(state.ConferencePoints);
            if (_job.Ratings is null)
            {
                var slots = _slots.AsSpan();
                for (var g = 0; g < slots.Length; g++)
                {
                    state.Play(g, slots[g], CounterRng.DrawWord(k1, k2, (uint)g) < slots[g].Threshold ? 1 : 0);
                }
            }
            else
            {
                Span<double> rating = stackalloc double[_teams];
                _job.Ratings.CopyTo(rating);
                for (var g = 0; g < _games; g++)
                {
                    var (h, a) = (_job.Home[g], _job.Away[g]);
                    var p = EloEngine.WinProbability(rating[h] - rating[a] + _job.HomeEdge![g]);
                    var homeWin = CounterRng.DrawWord(k1, k2, (uint)g) < (ulong)Math.Round(p * 4294967296.0);
                    state.Play(g, _slots[g], homeWin ? 1 : 0);
                    var shift = _job.K * ((homeWin ? 1 : 0) - p);
                    rating[h] += shift;
                    rating[a] -= shift;
                }
            }

            Tally(ref state, counts);
        }

        // A season whose results were drawn elsewhere: bit g of `results` is game g's home win.
        public void SimulateDrawn(ulong season, ReadOnlySpan<uint> results, long[] counts)
        {
            var (k1, k2) = CounterRng.Keys(_job.Seed, 0x5EA5, season);
            var state = new Season(this, k1, k2, stackalloc int[_teams], stackalloc int[_teams], stackalloc int[_teams], stackalloc int[_teams * _teams], 1, 0);
            state.Wins.Clear();
            _points.CopyTo(state.Points);
            _divisionPoints.CopyTo(state.DivisionPoints);
            _conferencePoints.CopyTo(state.ConferencePoints);
            var slots = _slots.AsSpan();
            for (var g = 0; g < slots.Length; g++)
            {
                state.Play(g, slots[g], (int)((results[g >> 5] >> (g & 31)) & 1));
            }

            Tally(ref state, counts);
        }

        // Eight seasons at once, one per lane of a 256-bit vector: the same draws as Simulate, so
        // the same results, at a fraction of the cost. Fixed ratings only.
        public void SimulateEight(ulong first, long[] counts)
        {
            Span<uint> k1s = stackalloc uint[Lanes];
            Span<uint> k2s = stackalloc uint[Lanes];
            for (var l = 0; l < Lanes; l++)
            {
                (k1s[l], k2s[l]) = CounterRng.Keys(_job.Seed, 0x5EA5, first + (ulong)l);
            }

            var (k1, k2) = (Vector256.Create<uint>(k1s), Vector256.Create<uint>(k2s));
            Span<Vector256<int>> points = stackalloc Vector256<int>[_teams];
            Span<Vector256<int>> division = stackalloc Vector256<int>[_teams];
            Span<Vector256<int>> conference = stackalloc Vector256<int>[_teams];
            Span<Vector256<int>> wins = stackalloc Vector256<int>[_teams * _teams];
            wins.Clear();
            for (var t = 0; t < _teams; t++)
            {
                (points[t], division[t], conference[t]) = (Vector256.Create(_points[t]), Vector256.Create(_divisionPoints[t]), Vector256.Create(_conferencePoints[t]));
            }

            var (one, two) = (Vector256.Create(1), Vector256.Create(2));
            var bias = Vector256.Create(int.MinValue);
            var slots = _slots.AsSpan();
            for (var g = 0; g < slots.Length; g++)
            {
                ref readonly var slot = ref slots[g];
                var word = Mix32((k1 + Vector256.Create((uint)g * CounterRng.Weyl)) ^ k2);

                // Unsigned word < threshold as a signed compare of both shifted by 2^31.
                var win = Vector256.LessThan(word.AsInt32() ^ bias, Vector256.Create(slot.BiasedThreshold)) | Vector256.Create(slot.Certain);
                var (home, away) = (win & two, Vector256.AndNot(two, win));
                points[slot.Home] += home;
                points[slot.Away] += away;
                division[slot.Home] += home & Vector256.Create(slot.DivisionMask);
                division[slot.Away] += away & Vector256.Create(slot.DivisionMask);
                conference[slot.Home] += home & Vector256.Create(slot.ConferenceMask);
                conference[slot.Away] += away & Vector256.Create(slot.ConferenceMask);
                wins[(slot.Home * _teams) + slot.Away] += win & one;
                wins[(slot.Away * _teams) + slot.Home] += Vector256.AndNot(one, win);
            }

            Span<int> laneStandings = stackalloc int[3 * _teams];
            var laneWins = System.Runtime.InteropServices.MemoryMarshal.Cast<Vector256<int>, int>(wins);
            for (var l = 0; l < Lanes; l++)
            {
                var state = new Season(this, k1s[l], k2s[l], laneStandings[.._teams], laneStandings[_teams..(2 * _teams)], laneStandings[(2 * _teams)..], laneWins, Lanes, l);
                for (var t = 0; t < _teams; t++)
                {
                    (state.Points[t], state.DivisionPoints[t], state.ConferencePoints[t]) = (points[t][l], division[t][l], conference[t][l]);
                }

                Tally(ref state, counts);
            }
        }

        private static Vector256<uint> Mix32(Vector256<uint> x)
        {
            x ^= Vector256.ShiftRightLogical(x, 16);
            x *= 0x7FEB352Du;
            x ^= Vector256.ShiftRightLogical(x, 15);
            x *= 0x846CA68Bu;
            return x ^ Vector256.ShiftRightLogical(x, 16);
        }

        // Standings, division titles, seeds and wild cards of one simulated season.
        private void Tally(ref Season state, long[] counts)
        {
            for (var t = 0; t < _teams; t++)
            {
                counts[t] += state.Points[t];
            }

            Span<int> winners = stackalloc int[_divisions.Length];
            Span<int> group = stackalloc int[_teams];
            for (var d = 0; d < _divisions.Length; d++)
            {
                var members = group[.._divisions[d].Length];
                _divisions[d].CopyTo(members);
                state.Rank(members, sameDivision: true, places: 1);
                winners[d] = members[0];
                counts[(2 * _teams) + members[0]]++;
            }

            for (var c = 0; c < 2; c++)
            {
                var divisions = _conferenceDivisions[c];
                var seeds = group[..divisions.Length];
                for (var i = 0; i < divisions.Length; i++)
                {
                    seeds[i] = winners[divisions[i]];
                    counts[_teams + seeds[i]]++;
                }

                state.Rank(seeds, sameDivision: false, places: 1);
                counts[(3 * _teams) + seeds[0]]++;

                // Wild cards: the best of the rest.
                var rest = group[.._conferenceTeams[c].Length];
                var n = 0;
                foreach (var t in _conferenceTeams[c])
                {
                    if (winners.IndexOf(t) < 0)
                    {
                        rest[n++] = t;
                    }
                }

                rest = rest[..n];
                state.Rank(rest, sameDivision: false, places: _job.PlayoffTeams - divisions.Length);
                for (var i = 0; i < Math.Min(n, _job.PlayoffTeams - divisions.Length); i++)
                {
                    counts[_teams + rest[i]]++;
                }
            }
        }

        // One simulated season's standings, on the stack.
        private ref struct Season(Plan plan, uint k1, uint k2, Span<int> points, Span<int> divisionPoints, Span<int> conferencePoints, Span<int> wins, int stride, int lane)
        {
            public readonly Span<int> Points = points;
            public readonly Span<int> DivisionPoints = divisionPoints;
            public readonly Span<int> ConferencePoints = conferencePoints;
            // Games x won against y in this simulated season (for head-to-head), at
            // wins[(x * teams + y) * stride + lane]: eight seasons share one table, one lane each.
            public readonly Span<int> Wins = wins;

            // Branch-free: a simulated result is a coin the predictor cannot guess.
            public readonly void Play(int g, in GameSlot slot, int homeWin)
            {
                var awayWin = 1 - homeWin;
                Points[slot.Home] += 2 * homeWin;
                Points[slot.Away] += 2 * awayWin;
                DivisionPoints[slot.Home] += slot.DivisionPoints * homeWin;
                DivisionPoints[slot.Away] += slot.DivisionPoints * awayWin;
                ConferencePoints[slot.Home] += slot.ConferencePoints * homeWin;
                ConferencePoints[slot.Away] += slot.ConferencePoints * awayWin;
                Wins[(slot.Home * plan._teams) + slot.Away] += homeWin;
                Wins[(slot.Away * plan._teams) + slot.Home] += awayWin;
            }

            // Orders teams by points, then breaks the level groups that reach into the first
            // `places` (the rest of the order does not decide anything).
            public readonly void Rank(Span<int> teams, bool sameDivision, int places)
            {
                for (var i = 1; i < teams.Length; i++)
                {
                    var item = teams[i];
                    var j = i - 1;
                    while (j >= 0 && Points[teams[j]] < Points[item])
                    {
                        teams[j + 1] = teams[j];
                        j--;
                    }

                    teams[j + 1] = item;
                }

                for (var start = 0; start < Math.Min(places, teams.Length);)
                {
                    var end = start + 1;
                    while (end < teams.Length && Points[teams[end]] == Points[teams[start]])
                    {
                        end++;
                    }

                    if (end - start > 1)
                    {
                        BreakTie(teams[start..end], sameDivision);
                    }

                    start = end;
                }
            }

            private readonly void BreakTie(Span<int> tied, bool sameDivision)
            {
                var mask = 0UL;
                foreach (var t in tied)
                {
                    mask |= 1UL << t;
                }

                Span<double> h2h = stackalloc double[tied.Length];
                Span<double> division = stackalloc double[tied.Length];
                Span<double> conference = stackalloc double[tied.Length];
                Span<uint> coin = stackalloc uint[tied.Length];
                Span<int> order = stackalloc int[tied.Length];
                for (var i = 0; i < tied.Length; i++)
                {
                    var x = tied[i];
                    h2h[i] = HeadToHead(x, mask);
                    division[i] = sameDivision ? Percentage(DivisionPoints[x], plan._divisionGames[x]) : 0;
                    conference[i] = Percentage(ConferencePoints[x], plan._conferenceGames[x]);
                    coin[i] = CounterRng.DrawWord(k1, k2, (uint)(plan._games + x));
                    order[i] = i;
                }

                for (var i = 1; i < order.Length; i++)
                {
                    var item = order[i];
                    var j = i - 1;
                    while (j >= 0 && Before(item, order[j], h2h, division, conference, coin))
                    {
                        order[j + 1] = order[j];
                        j--;
                    }

                    order[j + 1] = item;
                }

                Span<int> copy = stackalloc int[tied.Length];
                tied.CopyTo(copy);
                for (var i = 0; i < tied.Length; i++)
                {
                    tied[i] = copy[order[i]];
                }
            }

            // x's win percentage in games against the other teams of the mask (0.5 when none).
            private readonly double HeadToHead(int x, ulong mask)
            {
                var (earned, games) = (0, 0);
                var others = mask & ~(1UL << x);
                while (others != 0)
                {
                    var y = System.Numerics.BitOperations.TrailingZeroCount(others);
                    others &= others - 1;
                    var xy = (x * plan._teams) + y;
                    earned += plan._h2hPoints[xy] + (2 * Wins[(xy * stride) + lane]);
                    games += plan._h2hGames[xy] + plan._h2hGamesLeft[xy];
                }

                return Percentage(earned, games);
            }

            private static double Percentage(int points, int games) => games == 0 ? 0.5 : points / (2.0 * games);

            // Whether level team i ranks above level team j.
            private static bool Before(int i, int j, Span<double> h2h, Span<double> division, Span<double> conference, Span<uint> coin) =>
                h2h[i] != h2h[j] ? h2h[i] > h2h[j]
                : division[i] != division[j] ? division[i] > division[j]
                : conference[i] != conference[j] ? conference[i] > conference[j]
                : coin[i] < coin[j];
        }
    }
}
