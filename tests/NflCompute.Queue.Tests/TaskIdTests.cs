namespace NflCompute.Queue.Tests;

/// <summary>Task ids: issued by each client without a shared counter, ordered by age, never repeated.</summary>
public sealed class TaskIdTests
{
    private static string[] Issue(TaskIdSource source, long nowMs, int count)
    {
        var ids = new string[count];
        source.Issue(nowMs, ids);
        return ids;
    }

    [Fact]
    public void Ids_HaveTheDocumentedForm_AndCarryTheirSubmissionTime()
    {
        var id = Issue(new TaskIdSource(), 1_795_316_959_610, 1)[0];

        Assert.True(TaskIds.IsValid(id), id);
        Assert.Equal(TaskIds.Length, id.Length);
        Assert.Equal(1_795_316_959_610, TaskIds.IssuedAtMs(id));
        Assert.True(TaskIds.IsValid("01jf3w8q2k7m4n9p5r6s")); // the example in TaskIds.Format
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0000000001")] // the old 10-digit form
    [InlineData("01JF3W8Q2K7M4N9P5R6S")] // upper case
    [InlineData("01jf3w8q2k7m4n9p5r6i")] // i is not a digit of the alphabet
    [InlineData("../etc/passwd/000000")]
    public void MalformedIds_AreRefused_WithTheFormatInTheMessage(string? id)
    {
        Assert.False(TaskIds.IsValid(id));
        var error = Assert.Throws<ArgumentException>(() => TaskIds.ThrowIfInvalid(id, "id"));
        Assert.Contains(TaskIds.Format, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneClientsIds_GrowStrictly_InTheSameMillisecond_AndWhenTheClockStepsBack()
    {
        var source = new TaskIdSource();
        var ids = Issue(source, 5_000, 300).Concat(Issue(source, 5_000, 300)).Concat(Issue(source, 4_000, 300)).Concat(Issue(source, 6_000, 1)).ToList();

        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(6_000, TaskIds.IssuedAtMs(ids[^1]));
    }

    [Fact]
    public void ManyClients_InTheSameMillisecond_IssueDistinctIds_OrderedByTimeAcrossMilliseconds()
    {
        var sources = Enumerable.Range(0, 200).Select(_ => new TaskIdSource()).ToList();
        var early = sources.SelectMany(s => Issue(s, 7_000, 500)).ToList();
        var late = sources.SelectMany(s => Issue(s, 7_001, 500)).ToList();

        Assert.Equal(early.Count + late.Count, early.Concat(late).Distinct().Count());
        Assert.True(string.CompareOrdinal(early.Max(StringComparer.Ordinal), late.Min(StringComparer.Ordinal)) < 0);
    }
}
