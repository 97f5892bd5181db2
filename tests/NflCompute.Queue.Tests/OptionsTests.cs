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

    [Theory]
    [InlineData("TlsHost", "RedisOptions.TlsHost or TlsCaFile is set but TLS is off")]
    [InlineData("TlsCaFile", "RedisOptions.TlsCaFile '/nowhere/ca.pem' does not exist.")]
    [InlineData("Backoff", "RedisOptions.ReconnectBackoff (00:00:02) must be at least 1 ms and at most RedisOptions.ReconnectMaxBackoff (00:00:01)")]
    [InlineData("Wait", "RedisOptions.WaitForReplicas is -1; it must be in 0..16.")]
    public void RedisOptions_ThatCannotWork_AreRefused_NamingTheSetting(string what, string problem)
    {
        var options = what switch
        {
            "TlsHost" => new RedisOptions { TlsHost = "redis.internal" },
            "TlsCaFile" => new RedisOptions { UseTls = true, TlsCaFile = "/nowhere/ca.pem" },
            "Backoff" => new RedisOptions { ReconnectBackoff = TimeSpan.FromSeconds(2) },
            _ => new RedisOptions { WaitForReplicas = -1 },
        };

        Assert.Contains(options.Validate(), p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAclUser_LogsInWithUser_AndAWrongPasswordIsRefusedClearly()
    {
        // A Redis whose default user is off: only the grid's user, limited to its keys and channels.
        using var server = new PrivateRedisServer(extra: ["--user", "default", "off", "--user", "grid", "on", ">grid-secret", "~{acl}*", "&{acl}*", "+@all", "-@admin"]);
        RedisProcesses.WaitUntil(server.Answers, "the ACL Redis");
        var options = new RedisOptions { Configuration = $"127.0.0.1:{server.Port},connectTimeout=2000", User = "grid", Password = "grid-secret" };

        await using (var gateway = await NflCompute.Queue.Redis.RedisGateway.ConnectAsync(options))
        {
            var queue = new TaskQueue(gateway, new QueueOptions { Namespace = "acl" });
            await queue.ConfigureAsync();
            var id = (await queue.SubmitAsync(new TaskSubmission { Kind = "noop" })).Id;
            Assert.Equal(Core.TaskState.Pending, (await queue.GetAsync(id))!.State);
        }

        var refused = await Assert.ThrowsAsync<Core.Errors.OptionsValidationException>(() => NflCompute.Queue.Redis.RedisGateway.ConnectAsync(new RedisOptions { Configuration = options.Configuration, User = "grid", Password = "not-the-secret" }));
        Assert.Contains($"Redis at 127.0.0.1:{server.Port},connectTimeout=2000 refused the login of user 'grid': wrong user or password", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheScriptEnum_TheLuaFolder_AndTheEmbeddedScripts_AreTheSameList()
    {
        // lua/*.lua is embedded by one glob; the enum must name each file but common.lua, and no other.
        var lua = Path.Combine(AppContext.BaseDirectory, "../../../../../lua");
        var files = Directory.GetFiles(lua, "*.lua").Select(Path.GetFileName).Where(f => f != "common.lua").Order(StringComparer.Ordinal);
        var named = Enum.GetValues<Scripts.QueueScript>().Select(Scripts.ScriptLibrary.FileName).Order(StringComparer.Ordinal);
        var embedded = typeof(Scripts.ScriptLibrary).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("lua/", StringComparison.Ordinal) && n != "lua/common.lua").Select(n => n[4..]).Order(StringComparer.Ordinal);

        Assert.Equal(files, named);
        Assert.Equal(files, embedded);
        Assert.All(Enum.GetValues<Scripts.QueueScript>(), s => Assert.StartsWith("-- common.lua", Scripts.ScriptLibrary.Embedded[s], StringComparison.Ordinal));
    }

    [Fact]
    public void TheResultCodes_OfLuaAndCSharp_AreOneTable()
    {
        var common = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "../../../../../lua/common.lua"));
        var declaration = System.Text.RegularExpressions.Regex.Match(common, @"local (OK,[A-Z_,\s]+?) = ([\d,\s]+)\n");
        var names = declaration.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var numbers = declaration.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(int.Parse);
        static string Pascal(string snake) => string.Concat(snake.Split('_').Select(w => w[0] + w[1..].ToLowerInvariant()));

        Assert.Equal(
            Enum.GetValues<ResultCode>().Select(c => (c.ToString(), (int)c)),
            names.Select(Pascal).Zip(numbers));
    }

    [Fact]
    public void TheTaskHashFields_OfLuaAndCSharp_AreOneTable()
    {
        var common = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "../../../../../lua/common.lua"));
        var table = System.Text.RegularExpressions.Regex.Match(common, @"\nlocal F = \{\n(.*?)\n\}", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        var lua = System.Text.RegularExpressions.Regex.Matches(table, @"^\s*(\w+) = '(\w+)',", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => (string.Concat(m.Groups[1].Value.Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..])), m.Groups[2].Value));
        var csharp = typeof(Scripts.TaskFields).GetFields().Where(f => f.Name != nameof(Scripts.TaskFields.SubmitterName)).Select(f => (f.Name, (string)f.GetValue(null)!));

        Assert.Equal(csharp.Order(), lua.Order());
        Assert.Equal(25, lua.Select(f => f.Item2).Distinct().Count());
    }

    [Fact]
    public void TheScripts_NameEveryTaskHashField_ThroughTheTable()
    {
        // A field written as a string literal in a call on a task hash (key, ckey, tkey(...)) would
        // bypass the table; the schedule scripts' hashes have fields of their own.
        var lua = Path.Combine(AppContext.BaseDirectory, "../../../../../lua");
        var literal = new System.Text.RegularExpressions.Regex(@"redis\.call\('H(GET|MGET|SET|DEL|INCRBY|EXISTS)', (key|ckey|tkey\([^']*?\)), '");
        var offenders = Directory.GetFiles(lua, "*.lua").Where(f => !Path.GetFileName(f).StartsWith("schedule", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
            .Where(l => literal.IsMatch(l.Text)).Select(l => $"{l.File}:{l.Line}").ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void TheRulesAcrossSettings_AreReported_AlongsideTheAttributesProblems()
    {
        // DataAnnotations alone would skip the object's own rules once one attribute fails.
        var problems = new RedisOptions { WaitForReplicas = -1, Password = "x", PasswordFile = "/nowhere/redis.password" }.Validate();

        Assert.Equal(
            [
                "RedisOptions.PasswordFile '/nowhere/redis.password' does not exist.",
                "RedisOptions.WaitForReplicas is -1; it must be in 0..16.",
                "RedisOptions.Password and RedisOptions.PasswordFile are both set; choose one.",
            ],
            problems);
    }

    [Fact]
    public void EachAttribute_SaysTheValue_AndWhatItMustBe()
    {
        var problems = new QueueOptions { IdempotencyWindow = TimeSpan.Zero, MaxDatasetBytes = 1L << 30, AgingPointsPerMinute = double.NaN, MaxBatchTasks = 0, Classes = ["cpu", "", "cpu"] }.Validate();

        Assert.Equal(
            [
                "QueueOptions.Classes has ''; a name must be 1-64 letters, digits, '-', '_' or '.'.",
                "QueueOptions.Classes names cpu twice.",
                "QueueOptions.AgingPointsPerMinute is NaN; it must be in 0..1000000.",
                "QueueOptions.MaxBatchTasks is 0; it must be at least 1.",
                "QueueOptions.MaxDatasetBytes is 1073741824; it must be in 1..536870912 (Redis strings stop at 512 MiB).",
                "QueueOptions.IdempotencyWindow is 00:00:00; it must be at least 00:00:01.",
            ],
            problems);
    }
}
