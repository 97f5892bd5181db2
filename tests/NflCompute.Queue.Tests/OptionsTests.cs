using NflCompute.Core.Errors;

namespace NflCompute.Queue.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Validate_ListsEveryProblem_NamingEachSetting()
    {
        var options = new QueueOptions
        {
            Namespace = "bad namespace",
            Classes = ["cpu", "cpu", "no spaces"],
            MaxAttempts = 0,
            MaxStalls = -1,
            AgingPointsPerMinute = double.NaN,
            Backoff = BackoffPolicy.Fixed(TimeSpan.FromSeconds(1), jitter: 2),
            MaxPayloadBytes = 0,
        };

        var error = Assert.Throws<OptionsValidationException>(() => OptionsValidationException.ThrowIfAny(options.Validate()));

        foreach (var setting in new[] { "Namespace", "Classes", "MaxAttempts", "MaxStalls", "AgingPointsPerMinute", "Backoff.Jitter", "MaxPayloadBytes" })
        {
            Assert.Contains("QueueOptions." + setting, error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(8, error.Problems.Count);
    }

    [Fact]
    public void RedisOptions_RefuseAPasswordInTheConnectionString_AndNeverPrintOne()
    {
        var options = new RedisOptions { Configuration = "redis:6379,password=hunter2" };

        Assert.Contains(options.Validate(), p => p.Contains("RedisOptions.Password", StringComparison.Ordinal));
        Assert.DoesNotContain("s3cret", new RedisOptions { Password = "s3cret" }.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ScriptFileNames_MatchTheLuaFolder()
    {
        var lua = Path.Combine(AppContext.BaseDirectory, "../../../../../lua");
        foreach (var script in Enum.GetValues<Scripts.QueueScript>())
        {
            Assert.True(File.Exists(Path.Combine(lua, Scripts.ScriptLibrary.FileName(script))), $"lua/{Scripts.ScriptLibrary.FileName(script)} is missing");
        }
    }
}
