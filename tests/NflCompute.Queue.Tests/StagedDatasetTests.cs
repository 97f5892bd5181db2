using NflCompute.Queue.Redis;

namespace NflCompute.Queue.Tests;

public sealed class StagedDatasetTests(RedisServer redis) : QueueTestBase(redis)
{
    [Fact]
    public async Task AStagedDataset_IsReadBack_AndOneLargerThanTheReaderAccepts_IsRefusedBeforeItsBytesAreFetched()
    {
        var bytes = new byte[4096];
        Random.Shared.NextBytes(bytes);
        Assert.True(await Queue.StageDatasetAsync("sha256:small", bytes[..100], TimeSpan.FromMinutes(1)));
        Assert.True(await Queue.StageDatasetAsync("sha256:big", bytes, TimeSpan.FromMinutes(1)));
        var strict = new TaskQueue(Redis.Gateway, new QueueOptions { Namespace = Queue.Options.Namespace, MaxDatasetBytes = 1000 });

        Assert.Equal(bytes[..100], await strict.GetStagedDatasetAsync("sha256:small"));
        var refused = await Assert.ThrowsAsync<ValueTooLargeException>(() => strict.GetStagedDatasetAsync("sha256:big"));
        Assert.Equal((4096L, 1000L), (refused.Length, refused.MaxBytes));
        Assert.Null(await strict.GetStagedDatasetAsync("sha256:absent"));
    }
}
