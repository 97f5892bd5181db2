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
public static class SeasonSimulator
{
    private const int Block = 256;

    /// <summary>Simulates <see cref="SeasonSimJob.Simulations"/> seasons.</summary>
    /// <exception cref="ArgumentException">The job is inconsistent; the message lists every problem.</exception>
    public static SeasonSimResult Run(SeasonSimJob job)
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
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, () => new long[job.Teams * 4], (b, _, counts) =>
        {
            var end = Math.Min(job.Simulations, (b + 1) * Block);
            for (var s = b * Block; s < end; s++)
            {
                plan.Simulate((ulong)s, counts);
            }

            return counts;
        }, counts =>
        {
            lock (totals)
            {
                for (var i = 0; i < totals.Length; i++)
                {
                    totals[i] += counts[i];
                }
            }
        });

        double Share(int offset, int t, double scale) => totals[(offset * job.Teams) + t] * scale / job.Simulations;
        var teams = Enumerable.Range(0, job.Teams);
        return new SeasonSimResult(
            job.Simulations,
            [.. teams.Select(t => Share(0, t, 0.5))],
            [.. teams.Select(t => Share(1, t, 1))],
            [.. teams.Select(t => Share(2, t, 1))],
            [.. teams.Select(t => Share(3, t, 1))]);
    }

    // Everything that is the same in every simulated season, laid out for the inner loop.
    private sealed class Plan
    {
        private readonly SeasonSimJob _job;
        private readonly int _teams;
        private readonly int _games;
        private readonly ulong[] _threshold;
        private readonly int[] _points;
        private readonly int[] _divisionPoints;
        private readonly int[] _conferencePoints;
        private readonly int[] _divisionGames;
        private readonly int[] _conferenceGames;
        private readonly bool[] _divisionGame;
        private readonly bool[] _conferenceGame;
        private readonly int[] _h2hPoints;
        private readonly int[] _h2hGames;
        private readonly int[] _gamesStart;
        private readonly int[] _gameIndex;
        private readonly int[] _gameOpponent;
        private readonly bool[] _gameAtHome;
        private readonly int[][] _divisions;
        private readonly int[][] _conferenceDivisions;
        private readonly int[][] _conferenceTeams;

        public Plan(SeasonSimJob job)
        {
            _job = job;
            _teams = job.Teams;
            _games = job.Home.Length;
            _threshold = [.. job.HomeWinProbability.Select(p => (ulong)Math.Round(p * 4294967296.0))];
            (_points, _divisionPoints, _conferencePoints) = (new int[_teams], new int[_teams], new int[_teams]);
            (_divisionGames, _conferenceGames) = (new int[_teams], new int[_teams]);
            (_h2hPoints, _h2hGames) = (new int[_teams * _teams], new int[_teams * _teams]);
            for (var g = 0; g < job.PlayedHome.Length; g++)
            {
                var (h, a, hp) = (job.PlayedHome[g], job.PlayedAway[g], job.PlayedHomePoints[g]);
                Record(h, a, hp);
                Record(a, h, 2 - hp);
                _h2hPoints[(h * _teams) + a] += hp;
                _h2hPoints[(a * _teams) + h] += 2 - hp;
                _h2hGames[(h * _teams) + a]++;
                _h2hGames[(a * _teams) + h]++;
            }

            (_divisionGame, _conferenceGame) = (new bool[_games], new bool[_games]);
            var perTeam = Enumerable.Range(0, _teams).Select(_ => new List<(int Game, int Opponent, bool Home)>()).ToArray();
            for (var g = 0; g < _games; g++)
            {
                var (h, a) = (job.Home[g], job.Away[g]);
                _divisionGame[g] = job.Division[h] == job.Division[a];
                _conferenceGame[g] = job.Conference[h] == job.Conference[a];
                foreach (var t in new[] { h, a })
                {
                    _divisionGames[t] += _divisionGame[g] ? 1 : 0;
                    _conferenceGames[t] += _conferenceGame[g] ? 1 : 0;
                }

                perTeam[h].Add((g, a, true));
                perTeam[a].Add((g, h, false));
            }

            _gamesStart = new int[_teams + 1];
            for (var t = 0; t < _teams; t++)
            {
                _gamesStart[t + 1] = _gamesStart[t] + perTeam[t].Count;
            }

            var flat = perTeam.SelectMany(l => l).ToArray();
            (_gameIndex, _gameOpponent, _gameAtHome) = ([.. flat.Select(f => f.Game)], [.. flat.Select(f => f.Opponent)], [.. flat.Select(f => f.Home)]);
            _divisions = [.. Enumerable.Range(0, _teams).GroupBy(t => job.Division[t]).OrderBy(g => g.Key).Select(g => g.ToArray())];
            _conferenceDivisions = [.. Enumerable.Range(0, 2).Select(c => Enumerable.Range(0, _divisions.Length).Where(d => job.Conference[_divisions[d][0]] == c).ToArray())];
            _conferenceTeams = [.. Enumerable.Range(0, 2).Select(c => Enumerable.Range(0, _teams).Where(t => job.Conference[t] == c).ToArray())];
        }

        private void Record(int team, int opponent, int points)
        {
            _points[team] += points;
            if (_job.Division[team] == _job.Division[opponent])
            {
                _divisionPoints[team] += points;
                _divisionGames[team]++;
            }

            if (_job.Conference[team] == _job.Conference[opponent])
            {
                _conferencePoints[team] += points;
                _conferenceGames[team]++;
            }
        }

        // counts: [wins x2 | playoffs | division titles | top seeds], each _teams long.
        public void Simulate(ulong season, long[] counts)
        {
            var (k1, k2) = CounterRng.Keys(_job.Seed, 0x5EA5, season);
            var state = new Season(this, k1, k2, stackalloc int[_teams], stackalloc int[_teams], stackalloc int[_teams], stackalloc ulong[(_games + 63) / 64]);
            _points.CopyTo(state.Points);
            _divisionPoints.CopyTo(state.DivisionPoints);
            _conferencePoints.CopyTo(state.ConferencePoints);
            if (_job.Ratings is null)
            {
                for (var g = 0; g < _games; g++)
                {
                    state.Play(g, CounterRng.DrawWord(k1, k2, (uint)g) < _threshold[g]);
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
                    state.Play(g, homeWin);
                    var shift = _job.K * ((homeWin ? 1 : 0) - p);
                    rating[h] += shift;
                    rating[a] -= shift;
                }
            }

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
                state.Rank(members, sameDivision: true);
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

                state.Rank(seeds, sameDivision: false);
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
                state.Rank(rest, sameDivision: false);
                for (var i = 0; i < Math.Min(n, _job.PlayoffTeams - divisions.Length); i++)
                {
                    counts[_teams + rest[i]]++;
                }
            }
        }

        // One simulated season's standings, on the stack.
        private ref struct Season(Plan plan, uint k1, uint k2, Span<int> points, Span<int> divisionPoints, Span<int> conferencePoints, Span<ulong> homeWon)
        {
            public readonly Span<int> Points = points;
            public readonly Span<int> DivisionPoints = divisionPoints;
            public readonly Span<int> ConferencePoints = conferencePoints;
            private readonly Span<ulong> _homeWon = homeWon;

            public readonly void Play(int g, bool homeWin)
            {
                var (h, a) = (plan._job.Home[g], plan._job.Away[g]);
                var winner = homeWin ? h : a;
                Points[winner] += 2;
                DivisionPoints[winner] += plan._divisionGame[g] ? 2 : 0;
                ConferencePoints[winner] += plan._conferenceGame[g] ? 2 : 0;
                if (homeWin)
                {
                    _homeWon[g >> 6] |= 1UL << (g & 63);
                }
            }

            // Orders teams by points, then breaks each level group with the tie-breakers above.
            public readonly void Rank(Span<int> teams, bool sameDivision)
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

                for (var start = 0; start < teams.Length;)
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
                    earned += plan._h2hPoints[(x * plan._teams) + y];
                    games += plan._h2hGames[(x * plan._teams) + y];
                }

                for (var i = plan._gamesStart[x]; i < plan._gamesStart[x + 1]; i++)
                {
                    if ((mask & (1UL << plan._gameOpponent[i])) != 0)
                    {
                        var g = plan._gameIndex[i];
                        var homeWon = (_homeWon[g >> 6] & (1UL << (g & 63))) != 0;
                        earned += homeWon == plan._gameAtHome[i] ? 2 : 0;
                        games++;
                    }
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
