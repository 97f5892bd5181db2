using NflCompute.Kernels.Nfl.Standings;

namespace NflCompute.Kernels.Tests;

/// <summary>
/// Hand-built seasons for the steps of the league's tie-breaking procedure. The league: 24 teams;
/// conference 0 = divisions 0 {0-3}, 1 {4-7}, 2 {8-11}; conference 1 = divisions 3 {12-15},
/// 4 {16-19}, 5 {20-23}. In each case the clubs compared are level on win percentage and on every
/// step before the one named, and differ on it.
/// </summary>
public sealed class TiebreakerTests
{
    private sealed class Season
    {
        private readonly List<PlayedGame> _games = [];

        // `winner` beats `loser` (21-20 unless told), at home.
        public Season Beat(int winner, int loser, int winnerScore = 21, int loserScore = 20)
        {
            _games.Add(new PlayedGame(winner, loser, winnerScore, loserScore));
            return this;
        }

        public Tiebreakers Breaker(bool scoresKnown = true, ulong coin = 1) =>
            new(new LeagueTable([.. Enumerable.Range(0, 24).Select(t => t / 12)], [.. Enumerable.Range(0, 24).Select(t => t / 4)], _games, scoresKnown), coin);
    }

    private static void Ranks(Tiebreakers breaker, int[] tied, int[] expected, TiebreakStep step, bool division = true)
    {
        var order = division ? breaker.DivisionOrder(tied) : breaker.ConferenceOrder(tied);
        Assert.Equal(expected, order);
        Assert.Equal(step, breaker.LastStep);
    }

    [Fact]
    public void Division_HeadToHead() =>
        Ranks(new Season().Beat(0, 1).Beat(1, 12).Beat(13, 0).Breaker(), [1, 0], [0, 1], TiebreakStep.HeadToHead);

    [Fact]
    public void Division_DivisionRecord() =>
        Ranks(new Season().Beat(0, 1).Beat(1, 0).Beat(0, 2).Beat(1, 12).Breaker(), [1, 0], [0, 1], TiebreakStep.DivisionRecord);

    [Fact]
    public void Division_CommonGames_WithNoMinimum()
    {
        // Split; the one common opponent, 4: 0 beat it, 1 lost to it.
        var s = new Season().Beat(0, 1).Beat(1, 0).Beat(0, 4).Beat(4, 1).Beat(1, 12).Beat(5, 0);
        Ranks(s.Breaker(), [1, 0], [0, 1], TiebreakStep.CommonGames);
    }

    [Fact]
    public void Division_ConferenceRecord()
    {
        // No common opponents; 0 beat 4 and lost to 13 (other conference), 1 beat 12 and lost to 5.
        var s = new Season().Beat(0, 1).Beat(1, 0).Beat(0, 4).Beat(13, 0).Beat(1, 12).Beat(5, 1);
        Ranks(s.Breaker(), [1, 0], [0, 1], TiebreakStep.ConferenceRecord);
    }

    [Fact]
    public void Division_StrengthOfVictory()
    {
        // 0 beat 12 (who then won twice), 1 beat 13 (who won nothing).
        var s = new Season().Beat(0, 1).Beat(1, 0).Beat(0, 12).Beat(1, 13).Beat(12, 14).Beat(12, 15);
        Ranks(s.Breaker(), [1, 0], [0, 1], TiebreakStep.StrengthOfVictory);
    }

    [Fact]
    public void Division_StrengthOfSchedule()
    {
        // Each beat only the other; 0 lost to 14 (who won twice more), 1 to 15 (who won nothing more).
        var s = new Season().Beat(0, 1).Beat(1, 0).Beat(14, 0).Beat(15, 1).Beat(14, 12).Beat(14, 13);
        Ranks(s.Breaker(), [1, 0], [0, 1], TiebreakStep.StrengthOfSchedule);
    }

    [Fact]
    public void Division_PointsRanking_ThenTheCoinWithoutScores()
    {
        // The same two games, 0 by more points: better ranked in the conference on points scored and allowed.
        Ranks(new Season().Beat(0, 1, 30, 0).Beat(1, 0, 21, 20).Breaker(), [1, 0], [0, 1], TiebreakStep.ConferencePointsRanking);

        // Without scores (a simulated season) only the coin is left: the same for the same seed, whatever the order asked.
        var split = new Season().Beat(0, 1).Beat(1, 0);
        var breaker = split.Breaker(scoresKnown: false, coin: 7);
        var order = breaker.DivisionOrder([0, 1]);
        Assert.Equal(TiebreakStep.CoinToss, breaker.LastStep);
        Assert.Equal(order, split.Breaker(scoresKnown: false, coin: 7).DivisionOrder([1, 0]));
    }

    [Fact]
    public void ThreeDivisionClubs_OneEliminated_TheTwoLeftRestartAtHeadToHead()
    {
        // 0, 1, 2 each 3-3 and 2-2 among themselves (0 beat 1 twice, 2 beat 0 twice, 1 beat 2 twice).
        // Division record: 0 and 1 3-2, 2 2-3 (lost to 3): 2 is eliminated. 0 and 1 restart at step 1:
        // 0 won both games. (Carrying on with the three-club steps would have reached common games,
        // where 1 is better: 3-0 against 2 and 3, to 0's 1-2.)
        var s = new Season()
            .Beat(0, 1).Beat(0, 1).Beat(2, 0).Beat(2, 0).Beat(1, 2).Beat(1, 2)
            .Beat(0, 3).Beat(1, 3).Beat(3, 2).Beat(2, 12).Beat(13, 0).Beat(14, 1);
        var breaker = s.Breaker();

        Assert.Equal([0, 1, 2], breaker.DivisionOrder([2, 1, 0]));
        Assert.Equal(1, breaker.Decided[(int)TiebreakStep.DivisionRecord]);
        Assert.Equal(2, breaker.Decided[(int)TiebreakStep.HeadToHead]);
    }

    [Fact]
    public void WildCard_OnlyEachDivisionsBestGoesOn_ThenTwoClubHeadToHead()
    {
        // 1 and 2 (division 0) and 4 (division 1), each 2-2. 1 beat 2, so 2 waits; 4 beat 1.
        var s = new Season().Beat(1, 2).Beat(4, 1).Beat(1, 12).Beat(2, 13).Beat(2, 14).Beat(4, 15).Beat(16, 4).Beat(17, 1).Beat(18, 2).Beat(19, 4);
        var breaker = s.Breaker();

        Assert.Equal(4, breaker.ConferenceOrder([1, 2, 4], places: 1)[0]);
        Assert.Equal(TiebreakStep.HeadToHead, breaker.LastStep);
    }

    [Fact]
    public void WildCard_ThreeClubs_TheSweepDecides()
    {
        // 0 (division 0) beat 4 (division 1) and 8 (division 2); each 2-2.
        var s = new Season().Beat(0, 4).Beat(0, 8).Beat(12, 0).Beat(13, 0).Beat(4, 14).Beat(4, 15).Beat(16, 4).Beat(8, 17).Beat(8, 18).Beat(19, 8);
        var breaker = s.Breaker();
        Assert.Equal([0], breaker.ConferenceOrder([4, 8, 0], places: 1));
        Assert.Equal(TiebreakStep.HeadToHeadSweep, breaker.LastStep);
    }

    [Fact]
    public void WildCard_ThreeClubs_OneSweptIsEliminated_TheOthersRestart()
    {
        // 8 lost to 0 and to 4, who did not meet: no sweeper, 8 out. 0 and 4 restart: no head-to-head,
        // conference record 4 1-0, 0 1-1 (lost to 5). Then 0 over 8 by head-to-head.
        var s = new Season().Beat(0, 8).Beat(0, 12).Beat(13, 0).Beat(5, 0).Beat(4, 8).Beat(4, 14).Beat(15, 4).Beat(16, 4).Beat(8, 17).Beat(8, 18);
        var breaker = s.Breaker();

        Assert.Equal([4, 0, 8], breaker.ConferenceOrder([0, 4, 8]));
        Assert.Equal(1, breaker.Decided[(int)TiebreakStep.HeadToHeadSweep]);
        Assert.Equal(1, breaker.Decided[(int)TiebreakStep.ConferenceRecord]);
    }

    [Fact]
    public void WildCard_CommonGamesNeedFourEach_ElseStrengthOfVictory()
    {
        // 0 (division 0) and 4 (division 1), each 2-2 and 1-1 in the conference, never met. Their one
        // common opponent, 12, lost to 0 and beat 4: under four games, so skipped. Strength of
        // victory: 4 beat 21, who won twice.
        var s = new Season().Beat(0, 12).Beat(0, 1).Beat(6, 0).Beat(20, 0)
            .Beat(4, 5).Beat(4, 21).Beat(12, 4).Beat(2, 4).Beat(21, 22).Beat(21, 23);
        Ranks(s.Breaker(), [0, 4], [4, 0], TiebreakStep.StrengthOfVictory, division: false);
    }
}
