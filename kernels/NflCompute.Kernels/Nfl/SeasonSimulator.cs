using System.Runtime.Intrinsics;
using NflCompute.Kernels.Nfl.Standings;
using NflCompute.Kernels.Random;

namespace NflCompute.Kernels.Nfl;

/// <summary>
/// Monte Carlo of the rest of a regular season with standings and seeding. Season s draws game g
/// from the counter-based generator keyed by (seed, s), so results are the same on any machine and
/// any number of cores. Seasons are spread over the cores; each one keeps its standings on the stack.
/// <para>
/// Ties on win percentage (a tie is half a win) are broken by the league's procedure, as
/// <see cref="Standings.Tiebreakers"/> applies it to real seasons, one place at a time and only
/// where the place decides something (a division title, a seed, the last wild card): division
/// ties by head-to-head, division record, common games, conference record, strength of victory,
/// strength of schedule, coin toss; wild-card and seeding ties by each division's best first, then
/// head-to-head (two clubs, if they met) or the sweep (three or more), conference record, common
/// games (four each), strength of victory and schedule, coin toss; a step that eliminates clubs
/// starts again with those left. Simulated games have no scores, so the point-based steps are
/// skipped (the points already scored this season would rank only the games played). How often
/// each step is reached and decides is counted (<see cref="SeasonSimResult.TiebreakSteps"/>).
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
        var totals = new long[SeasonLayout.CountsLength(job.Teams)];
        var blocks = (job.Simulations + Block - 1) / Block;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, () => new long[SeasonLayout.CountsLength(job.Teams)], (b, _, counts) =>
        {
            var end = Math.Min(job.Simulations, (b + 1) * Block);
            var s = b * Block;
            if (wide && Vector256.IsHardwareAccelerated)
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

    // The league's steps (Tiebreakers' lists) a simulated season can take: no scores, so not the point-based ones.
    private static readonly TiebreakStep[] DivisionSteps = Tiebreakers.WithoutScores(Tiebreakers.DivisionSteps);
    private static readonly TiebreakStep[] TwoClubSteps = Tiebreakers.WithoutScores(Tiebreakers.TwoClubWildCardSteps);
    private static readonly TiebreakStep[] WildCardSteps = Tiebreakers.WithoutScores(Tiebreakers.WildCardSteps);

    /// <summary>Seasons a device draws at once for <see cref="RunDrawn"/>.</summary>
    internal const int DrawnChunk = 1 << 16;

    /// <summary>
    /// Simulates seasons whose results are drawn elsewhere (a device): <paramref name="draw"/>
    /// fills, for seasons first .. first + count - 1, one row of (games + 31) / 32 words each, bit g
    /// of a row being game g's home win exactly as <see cref="Run(SeasonSimJob, CancellationToken)"/>
    /// draws it; with hot ratings and the postseason it also fills each season's ratings at the end
    /// of its regular season (Teams per season). Standings, tie-breakers, the bracket and the
    /// tallies are this class's, so both paths agree.
    /// </summary>
    internal static SeasonSimResult RunDrawn(SeasonSimJob job, Action<long, int, uint[], double[]> draw, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(draw);
        var plan = new Plan(job);
        var words = (job.Home.Length + 31) / 32;
        var totals = new long[SeasonLayout.CountsLength(job.Teams)];
        var chunk = (int)Math.Min(job.Simulations, DrawnChunk);
        var rows = new uint[Math.Max(1, chunk * words)];
        var ratings = NeedsSeasonRatings(job) ? new double[chunk * job.Teams] : [];
        for (long first = 0; first < job.Simulations; first += DrawnChunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = (int)Math.Min(DrawnChunk, job.Simulations - first);
            draw(first, count, rows, ratings);
            var chunkFirst = first;
            Parallel.For(0, (count + Block - 1) / Block, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, () => new long[SeasonLayout.CountsLength(job.Teams)], (b, _, counts) =>
            {
                for (var s = b * Block; s < Math.Min(count, (b + 1) * Block); s++)
                {
                    plan.Simulate((ulong)(chunkFirst + s), counts, rows.AsSpan(s * words, words), ratings.Length == 0 ? default : ratings.AsSpan(s * job.Teams, job.Teams));
                }

                return counts;
            }, counts => Add(totals, counts));
        }

        return plan.Layout.Result(totals);
    }

    /// <summary>Whether a drawn season must come with its own ratings: hot ones that go on into the postseason.</summary>
    internal static bool NeedsSeasonRatings(SeasonSimJob job) => job.Postseason && job.Ratings is not null;

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
        private readonly int[] _pairGames; // games x and y play in the whole season (played and left), at [x * teams + y]
        private readonly int[] _playedWins;
        private readonly ulong[] _opponents;
        private readonly int[] _teamGames;
        private readonly int[] _divisionOf;
        private readonly ulong[] _playoffThresholds; // fixed ratings: [home * teams + away], then the neutral site's after them

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
            (_playedWins, _divisionOf) = (layout.H2hWins, job.Division);
            _pairGames = [.. layout.H2hGames.Zip(layout.H2hGamesLeft, (played, left) => played + left)];
            _playoffThresholds = job.Postseason && job.TeamRatings is { } fixedRatings ? PlayoffThresholds(fixedRatings, job.PlayoffHomeEdge) : [];
            (_opponents, _teamGames) = (new ulong[_teams], new int[_teams]);
            for (var x = 0; x < _teams; x++)
            {
                for (var y = 0; y < _teams; y++)
                {
                    var games = _pairGames[(x * _teams) + y];
                    _opponents[x] |= games > 0 ? 1UL << y : 0;
                    _teamGames[x] += games;
                }
            }
        }

        public SeasonLayout Layout { get; }

        // One season into `counts` (SeasonLayout's tally): its results drawn here, or, from a
        // device, bit g of `drawn` as game g's home win (with hot ratings, `drawnRatings` the
        // season's own at its end).
        public void Simulate(ulong season, long[] counts, ReadOnlySpan<uint> drawn = default, ReadOnlySpan<double> drawnRatings = default)
        {
            var (k1, k2) = CounterRng.Keys(_job.Seed, 0x5EA5, season);
            var state = new Season(this, k1, k2, stackalloc int[_teams], stackalloc int[_teams], stackalloc int[_teams], stackalloc int[_teams * _teams], 1, 0, counts);
            state.Wins.Clear();
            _points.CopyTo(state.Points);
            _divisionPoints.CopyTo(state.DivisionPoints);
            _conferencePoints.CopyTo(state.ConferencePoints);
            var slots = _slots.AsSpan();
            if (!drawn.IsEmpty)
            {
                for (var g = 0; g < slots.Length; g++)
                {
                    state.Play(g, slots[g], (int)((drawn[g >> 5] >> (g & 31)) & 1));
                }

                Tally(ref state, counts, drawnRatings);
                return;
            }

            if (_job.Ratings is null)
            {
                for (var g = 0; g < slots.Length; g++)
                {
                    state.Play(g, slots[g], CounterRng.DrawWord(k1, k2, (uint)g) < slots[g].Threshold ? 1 : 0);
                }

                Tally(ref state, counts);
                return;
            }

            Span<double> rating = stackalloc double[_teams];
            _job.Ratings.CopyTo(rating);
            for (var g = 0; g < _games; g++)
            {
                var (h, a) = (_job.Home[g], _job.Away[g]);
                var p = EloEngine.WinProbability(rating[h] - rating[a] + _job.HomeEdge![g]);
                var homeWin = CounterRng.DrawWord(k1, k2, (uint)g) < (ulong)Math.Round(p * 4294967296.0);
                state.Play(g, slots[g], homeWin ? 1 : 0);
                var shift = _job.K * ((homeWin ? 1 : 0) - p);
                rating[h] += shift;
                rating[a] -= shift;
            }

            Tally(ref state, counts, rating);
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

            // Hot ratings: four seasons per vector of doubles, lanes 0-3 and 4-7 of the draws.
            var hot = _job.Ratings is not null;
            Span<Vector256<double>> low = stackalloc Vector256<double>[hot ? _teams : 0];
            Span<Vector256<double>> high = stackalloc Vector256<double>[hot ? _teams : 0];
            for (var t = 0; t < low.Length; t++)
            {
                low[t] = high[t] = Vector256.Create(_job.Ratings![t]);
            }

            var (k, toExponent, scale) = (Vector256.Create(_job.K), Vector256.Create(-Math.Log(10) / 400), Vector256.Create(4294967296.0));
            var (one, two) = (Vector256.Create(1), Vector256.Create(2));
            var bias = Vector256.Create(int.MinValue);
            var slots = _slots.AsSpan();
            for (var g = 0; g < slots.Length; g++)
            {
                ref readonly var slot = ref slots[g];
                var word = Mix32((k1 + Vector256.Create((uint)g * CounterRng.Weyl)) ^ k2);

                // Unsigned word < threshold as a signed compare of both shifted by 2^31; hot, the
                // threshold of each lane's own p (exp instead of pow: a last-bit difference flips a
                // draw only when it lands on the threshold).
                var win = hot
                    ? HotWin(slot, word, _job.HomeEdge![g], low, high, k, toExponent, scale)
                    : Vector256.LessThan(word.AsInt32() ^ bias, Vector256.Create(slot.BiasedThreshold)) | Vector256.Create(slot.Certain);
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
            Span<double> laneRatings = stackalloc double[hot ? _teams : 0];
            var laneWins = System.Runtime.InteropServices.MemoryMarshal.Cast<Vector256<int>, int>(wins);
            for (var l = 0; l < Lanes; l++)
            {
                var state = new Season(this, k1s[l], k2s[l], laneStandings[.._teams], laneStandings[_teams..(2 * _teams)], laneStandings[(2 * _teams)..], laneWins, Lanes, l, counts);
                for (var t = 0; t < _teams; t++)
                {
                    (state.Points[t], state.DivisionPoints[t], state.ConferencePoints[t]) = (points[t][l], division[t][l], conference[t][l]);
                }

                for (var t = 0; t < laneRatings.Length; t++)
                {
                    laneRatings[t] = l < 4 ? low[t][l] : high[t][l - 4];
                }

                Tally(ref state, counts, laneRatings);
            }
        }

        // Eight hot draws of one game: each lane's p from its own ratings, then the ratings move.
        private static Vector256<int> HotWin(in GameSlot slot, Vector256<uint> word, double edge, Span<Vector256<double>> low, Span<Vector256<double>> high, Vector256<double> k, Vector256<double> toExponent, Vector256<double> scale)
        {
            var (h, a) = (slot.Home, slot.Away);
            var e = Vector256.Create(edge);
            var (wordLow, wordHigh) = Vector256.Widen(word);
            var winLow = Half(ref low[h], ref low[a], e, AsDouble(wordLow), k, toExponent, scale);
            var winHigh = Half(ref high[h], ref high[a], e, AsDouble(wordHigh), k, toExponent, scale);
            return Vector256.Narrow(winLow.AsInt64(), winHigh.AsInt64());
        }

        // A 32-bit draw as an exact double: its bits under 2^52's exponent, less 2^52 (AVX2 has no
        // 64-bit integer to double conversion).
        private static Vector256<double> AsDouble(Vector256<ulong> draw) =>
            (draw | Vector256.Create(0x4330000000000000UL)).AsDouble() - Vector256.Create(4503599627370496.0);

        private static Vector256<double> Half(ref Vector256<double> home, ref Vector256<double> away, Vector256<double> edge, Vector256<double> draw, Vector256<double> k, Vector256<double> toExponent, Vector256<double> scale)
        {
            var p = Vector256<double>.One / (Vector256.Exp((home - away + edge) * toExponent) + Vector256<double>.One);
            var win = Vector256.LessThan(draw, Vector256.Round(p * scale));
            var shift = k * ((win & Vector256<double>.One) - p);
            home += shift;
            away -= shift;
            return win;
        }

        private static Vector256<uint> Mix32(Vector256<uint> x)
        {
            x ^= Vector256.ShiftRightLogical(x, 16);
            x *= 0x7FEB352Du;
            x ^= Vector256.ShiftRightLogical(x, 15);
            x *= 0x846CA68Bu;
            return x ^ Vector256.ShiftRightLogical(x, 16);
        }

        // Standings, division titles, seeds and wild cards of one simulated season, then (with
        // the postseason) its bracket; `ratings` are the season's own when hot, else null.
        private void Tally(ref Season state, long[] counts, ReadOnlySpan<double> ratings = default)
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
                state.Order(members, division: true, places: 1);
                winners[d] = members[0];
                counts[(2 * _teams) + members[0]]++;
            }

            // Per conference, its seeds: division winners first (by the wild-card procedure), then wild cards.
            var most = Math.Min(SeasonLayout.MostSeeds, _job.PlayoffTeams);
            Span<int> seeds = stackalloc int[2 * most];
            Span<int> seeded = stackalloc int[2];
            for (var c = 0; c < 2; c++)
            {
                var divisions = _conferenceDivisions[c];
                var titles = group[..divisions.Length];
                for (var i = 0; i < divisions.Length; i++)
                {
                    titles[i] = winners[divisions[i]];
                }

                state.Order(titles, division: false, places: titles.Length);
                counts[(3 * _teams) + titles[0]]++;
                var n = 0;
                foreach (var t in titles[..Math.Min(titles.Length, most)])
                {
                    seeds[(c * most) + n++] = t;
                }

                // Wild cards: the best of the rest.
                var rest = group[.._conferenceTeams[c].Length];
                var m = 0;
                foreach (var t in _conferenceTeams[c])
                {
                    if (winners.IndexOf(t) < 0)
                    {
                        rest[m++] = t;
                    }
                }

                rest = rest[..m];
                var wildCards = Math.Min(m, most - n);
                state.Order(rest, division: false, places: wildCards);
                for (var i = 0; i < wildCards; i++)
                {
                    seeds[(c * most) + n++] = rest[i];
                }

                seeded[c] = n;
                for (var s = 0; s < n; s++)
                {
                    var t = seeds[(c * most) + s];
                    counts[_teams + t]++;
                    counts[((SeasonLayout.SeedBlock + s) * _teams) + t]++;
                }
            }

            if (_job.Postseason)
            {
                PlayPostseason(state.K1, state.K2, seeds, most, seeded, ratings, counts);
            }
        }

        // The bracket of each conference, then the Super Bowl. Rounds are re-seeded: the best seed
        // left plays the worst left, and so on; byes fill the first round up to a power of two.
        // Draws come from the season's generator past its games and coins (index games + 64 + k).
        private void PlayPostseason(uint k1, uint k2, ReadOnlySpan<int> seeds, int most, ReadOnlySpan<int> seeded, ReadOnlySpan<double> hot, long[] counts)
        {
            Span<double> rating = stackalloc double[_teams];
            if (hot.IsEmpty)
            {
                _job.TeamRatings.CopyTo(rating);
            }
            else
            {
                hot.CopyTo(rating);
            }

            var game = 0u;
            var afc = seeded[0] == 0 ? -1 : PlayConference(seeds[..seeded[0]], k1, k2, ref game, rating, hot.IsEmpty, counts);
            var nfc = seeded[1] == 0 ? -1 : PlayConference(seeds[most..(most + seeded[1])], k1, k2, ref game, rating, hot.IsEmpty, counts);
            if (afc >= 0 && nfc >= 0)
            {
                var champion = Play(afc, nfc, neutral: true, k1, k2, game, rating, hot.IsEmpty) ? afc : nfc;
                counts[(SeasonLayout.SuperBowlBlock * _teams) + champion]++;
            }
        }

        // One conference's bracket from its seeds (best first); returns its champion.
        private int PlayConference(ReadOnlySpan<int> seeds, uint k1, uint k2, ref uint game, Span<double> rating, bool fixedRatings, long[] counts)
        {
            var n = seeds.Length;
            Span<int> alive = stackalloc int[n];
            Span<int> next = stackalloc int[n];
            for (var s = 0; s < n; s++)
            {
                alive[s] = s; // seed indices; the first round leaves the byes out
            }

            var size = 1;
            while (size < n)
            {
                size <<= 1;
            }

            var byes = size - n;
            for (var s = 0; s < byes; s++)
            {
                counts[(SeasonLayout.ByeBlock * _teams) + seeds[s]]++;
            }

            for (var (count, start) = (n, byes); count > 1; start = 0)
            {
                var kept = 0;
                for (var s = 0; s < start; s++)
                {
                    next[kept++] = alive[s];
                }

                // Best against worst among those who play this round.
                for (int lo = start, hi = count - 1; lo < hi; lo++, hi--)
                {
                    next[kept++] = Play(seeds[alive[lo]], seeds[alive[hi]], neutral: false, k1, k2, game++, rating, fixedRatings) ? alive[lo] : alive[hi];
                }

                // Re-seed: those left in seed order (a handful: insertion).
                for (var i = 1; i < kept; i++)
                {
                    var (item, j) = (next[i], i - 1);
                    for (; j >= 0 && next[j] > item; j--)
                    {
                        next[j + 1] = next[j];
                    }

                    next[j + 1] = item;
                }

                next[..kept].CopyTo(alive);
                count = kept;
                var block = count == 4 ? SeasonLayout.DivisionalBlock : count == 2 ? SeasonLayout.ConferenceChampionshipBlock : count == 1 ? SeasonLayout.ConferenceTitleBlock : -1;
                for (var s = 0; block >= 0 && s < count; s++)
                {
                    counts[(block * _teams) + seeds[alive[s]]]++;
                }
            }

            return seeds[alive[0]];
        }

        // One playoff game: the home team's win from the counter generator (fixed ratings: from the
        // thresholds made once per job; hot: a pow, and the ratings move).
        private bool Play(int home, int away, bool neutral, uint k1, uint k2, uint game, Span<double> rating, bool fixedRatings)
        {
            var draw = CounterRng.DrawWord(k1, k2, (uint)(_games + 64) + game);
            if (fixedRatings)
            {
                return draw < _playoffThresholds[(neutral ? _teams * _teams : 0) + (home * _teams) + away];
            }

            var p = EloEngine.WinProbability(rating[home] - rating[away] + (neutral ? 0 : _job.PlayoffHomeEdge));
            var win = draw < (ulong)Math.Round(p * 4294967296.0);
            var shift = _job.K * ((win ? 1 : 0) - p);
            rating[home] += shift;
            rating[away] -= shift;
            return win;
        }

        // Each pair's home win threshold on a 32-bit draw, at home and at a neutral site.
        private static ulong[] PlayoffThresholds(double[] rating, double edge)
        {
            var teams = rating.Length;
            var thresholds = new ulong[2 * teams * teams];
            for (var h = 0; h < teams; h++)
            {
                for (var a = 0; a < teams; a++)
                {
                    thresholds[(h * teams) + a] = (ulong)Math.Round(EloEngine.WinProbability(rating[h] - rating[a] + edge) * 4294967296.0);
                    thresholds[(teams * teams) + (h * teams) + a] = (ulong)Math.Round(EloEngine.WinProbability(rating[h] - rating[a]) * 4294967296.0);
                }
            }

            return thresholds;
        }

        // One simulated season's standings, on the stack.
        private ref struct Season(Plan plan, uint k1, uint k2, Span<int> points, Span<int> divisionPoints, Span<int> conferencePoints, Span<int> wins, int stride, int lane, long[] counts)
        {
            public readonly Span<int> Points = points;
            public readonly Span<int> DivisionPoints = divisionPoints;
            public readonly Span<int> ConferencePoints = conferencePoints;
            // Games x won against y in this simulated season (for head-to-head), at
            // wins[(x * teams + y) * stride + lane]: eight seasons share one table, one lane each.
            public readonly Span<int> Wins = wins;

            // The season's generator keys (coins, the postseason).
            public readonly uint K1 = k1;
            public readonly uint K2 = k2;

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

            // Orders teams by win percentage, then fills the places of each level group that
            // reaches into the first `places` one at a time: the procedure names one club, the
            // others start again (the rest of the order decides nothing).
            public readonly void Order(Span<int> teams, bool division, int places)
            {
                for (var i = 1; i < teams.Length; i++)
                {
                    var item = teams[i];
                    var j = i - 1;
                    while (j >= 0 && ComparePercentage(teams[j], item) < 0)
                    {
                        teams[j + 1] = teams[j];
                        j--;
                    }

                    teams[j + 1] = item;
                }

                for (var start = 0; start < Math.Min(places, teams.Length);)
                {
                    var end = start + 1;
                    while (end < teams.Length && ComparePercentage(teams[end], teams[start]) == 0)
                    {
                        end++;
                    }

                    for (var k = start; k < Math.Min(end, places) && end - k > 1; k++)
                    {
                        var rest = teams[k..end];
                        var at = rest.IndexOf(division ? DivisionBest(rest) : ConferenceBest(rest));
                        (rest[0], rest[at]) = (rest[at], rest[0]);
                    }

                    start = end;
                }
            }

            // x's win percentage against y's (a team without games stands at one half).
            private readonly int ComparePercentage(int x, int y)
            {
                var (px, gx) = Percentage(Points[x], plan._teamGames[x]);
                var (py, gy) = Percentage(Points[y], plan._teamGames[y]);
                return (px * gy).CompareTo(py * gx);
            }

            private readonly int DivisionBest(ReadOnlySpan<int> tied) => Decide(tied, DivisionSteps, division: true);

            private readonly int ConferenceBest(ReadOnlySpan<int> tied)
            {
                var divisionOf = plan._divisionOf;
                var oneDivision = true;
                foreach (var t in tied)
                {
                    oneDivision &= divisionOf[t] == divisionOf[tied[0]];
                }

                if (oneDivision)
                {
                    return DivisionBest(tied);
                }

                // Only the highest-ranked club of each division goes on.
                Span<int> leaders = stackalloc int[tied.Length];
                Span<int> members = stackalloc int[tied.Length];
                var (n, seen) = (0, 0UL);
                for (var i = 0; i < tied.Length; i++)
                {
                    var d = divisionOf[tied[i]];
                    if ((seen & (1UL << d)) != 0)
                    {
                        continue;
                    }

                    seen |= 1UL << d;
                    var m = 0;
                    for (var j = i; j < tied.Length; j++)
                    {
                        if (divisionOf[tied[j]] == d)
                        {
                            members[m++] = tied[j];
                        }
                    }

                    leaders[n++] = m == 1 ? members[0] : DivisionBest(members[..m]);
                }

                return n == 1 ? leaders[0] : Decide(leaders[..n], n == 2 ? TwoClubSteps : WildCardSteps, division: false);
            }

            // The steps in order: one club best on a step advances; fewer best than tied start again.
            private readonly int Decide(ReadOnlySpan<int> tied, TiebreakStep[] steps, bool division)
            {
                Span<long> num = stackalloc long[tied.Length];
                Span<long> den = stackalloc long[tied.Length];
                Span<int> best = stackalloc int[tied.Length];
                foreach (var step in steps)
                {
                    counts[plan.Layout.ReachedAt + (int)step]++;
                    if (!Evaluate(step, tied, num, den, division))
                    {
                        continue;
                    }

                    var top = 0;
                    for (var i = 1; i < tied.Length; i++)
                    {
                        top = num[i] * den[top] > num[top] * den[i] ? i : top;
                    }

                    var n = 0;
                    for (var i = 0; i < tied.Length; i++)
                    {
                        if (num[i] * den[top] == num[top] * den[i])
                        {
                            best[n++] = tied[i];
                        }
                    }

                    if (n < tied.Length)
                    {
                        counts[plan.Layout.DecidedAt + (int)step]++;
                        return n == 1 ? best[0] : division ? DivisionBest(best[..n]) : ConferenceBest(best[..n]);
                    }
                }

                throw new InvalidOperationException("The coin toss always decides.");
            }

            // One step's figure per tied club, num / den (larger is better); false where the step does not apply.
            private readonly bool Evaluate(TiebreakStep step, ReadOnlySpan<int> tied, Span<long> num, Span<long> den, bool division) => step switch
            {
                TiebreakStep.HeadToHead => HeadToHead(tied, num, den),
                TiebreakStep.HeadToHeadSweep => Sweep(tied, num, den),
                TiebreakStep.DivisionRecord => Record(tied, DivisionPoints, plan._divisionGames, num, den),
                TiebreakStep.ConferenceRecord => Record(tied, ConferencePoints, plan._conferenceGames, num, den),
                TiebreakStep.CommonGames => CommonGames(tied, num, den, division),
                TiebreakStep.StrengthOfVictory => Strength(tied, num, den, victories: true),
                TiebreakStep.StrengthOfSchedule => Strength(tied, num, den, victories: false),
                _ => Coin(tied, num, den),
            };

            // Percentage in the games among the tied clubs; not for two wild-card clubs that did not meet.
            private readonly bool HeadToHead(ReadOnlySpan<int> tied, Span<long> num, Span<long> den)
            {
                var teams = plan._teams;
                for (var i = 0; i < tied.Length; i++)
                {
                    var (p, g) = (0L, 0L);
                    foreach (var y in tied)
                    {
                        var xy = (tied[i] * teams) + y;
                        (p, g) = y == tied[i] ? (p, g) : (p + PairPoints(xy), g + plan._pairGames[xy]);
                    }

                    if (g == 0)
                    {
                        return false; // two clubs for a wild card that did not meet
                    }

                    (num[i], den[i]) = (p, 2 * g);
                }

                return true;
            }

            // A club that beat every other tied club ranks first (1), one that lost to all last (-1).
            private readonly bool Sweep(ReadOnlySpan<int> tied, Span<long> num, Span<long> den)
            {
                var teams = plan._teams;
                for (var i = 0; i < tied.Length; i++)
                {
                    var (beatAll, lostAll) = (true, true);
                    foreach (var y in tied)
                    {
                        var xy = (tied[i] * teams) + y;
                        if (y != tied[i])
                        {
                            var (p, g) = (PairPoints(xy), plan._pairGames[xy]);
                            beatAll &= g > 0 && p == 2 * g;
                            lostAll &= g > 0 && p == 0;
                        }
                    }

                    (num[i], den[i]) = (beatAll ? 1 : lostAll ? -1 : 0, 1);
                }

                return true;
            }

            // Percentage within the division or the conference.
            private static bool Record(ReadOnlySpan<int> tied, ReadOnlySpan<int> points, int[] games, Span<long> num, Span<long> den)
            {
                for (var i = 0; i < tied.Length; i++)
                {
                    (num[i], den[i]) = Percentage(points[tied[i]], games[tied[i]]);
                }

                return true;
            }

            // Percentage against the opponents every tied club played; a wild card needs four such games each.
            private readonly bool CommonGames(ReadOnlySpan<int> tied, Span<long> num, Span<long> den, bool division)
            {
                var teams = plan._teams;
                var common = ulong.MaxValue;
                foreach (var t in tied)
                {
                    common &= plan._opponents[t];
                }

                for (var i = 0; i < tied.Length; i++)
                {
                    var (p, g) = (0L, 0L);
                    for (var rest = common; rest != 0; rest &= rest - 1)
                    {
                        var xy = (tied[i] * teams) + System.Numerics.BitOperations.TrailingZeroCount(rest);
                        (p, g) = (p + PairPoints(xy), g + plan._pairGames[xy]);
                    }

                    if (!division && g < 4)
                    {
                        return false; // a wild card needs four common games each
                    }

                    (num[i], den[i]) = Percentage(p, g);
                }

                return true;
            }

            // The combined percentage of the clubs beaten (victories) or played (schedule), each weighted by its games against the club.
            private readonly bool Strength(ReadOnlySpan<int> tied, Span<long> num, Span<long> den, bool victories)
            {
                var teams = plan._teams;
                for (var i = 0; i < tied.Length; i++)
                {
                    var (p, g) = (0L, 0L);
                    for (var y = 0; y < teams; y++)
                    {
                        var xy = (tied[i] * teams) + y;
                        long weight = victories ? plan._playedWins[xy] + Wins[(xy * stride) + lane] : plan._pairGames[xy];
                        (p, g) = (p + (weight * Points[y]), g + (weight * 2 * plan._teamGames[y]));
                    }

                    (num[i], den[i]) = g == 0 ? (0, 1) : (p, g);
                }

                return true;
            }

            // The coin: a draw per club (its index breaks a 2^-32 tie of draws).
            private readonly bool Coin(ReadOnlySpan<int> tied, Span<long> num, Span<long> den)
            {
                for (var i = 0; i < tied.Length; i++)
                {
                    (num[i], den[i]) = (((long)CounterRng.DrawWord(K1, K2, (uint)(plan._games + tied[i])) << 8) - tied[i], 1);
                }

                return true;
            }

            // Standing points x earned against y, played and simulated.
            private readonly long PairPoints(int xy) => plan._h2hPoints[xy] + (2L * Wins[(xy * stride) + lane]);

            private static (long Num, long Den) Percentage(long points, long games) => games == 0 ? (1, 2) : (points, 2 * games);
        }
    }
}
