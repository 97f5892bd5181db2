using System.Net.Sockets;
using Polly.CircuitBreaker;

namespace NflCompute.Worker.Tests;

/// <summary>The retry and circuit breaker the worker wraps around Redis and Postgres.</summary>
public sealed class ResilienceTests
{
    [Fact]
    public async Task WhileAServerIsDown_TheCircuitOpens_AndMostRetriesNeverReachIt()
    {
        var calls = 0;
        var transitions = new System.Collections.Concurrent.ConcurrentQueue<bool>();
        var pipeline = Resilience.Create(TimeSpan.FromSeconds(5), TimeProvider.System, transitions.Enqueue);

        // Eight tasks each try to write while the server refuses connections: 8 x 3 attempts.
        var writes = Enumerable.Range(0, 8).Select(_ => pipeline.ExecuteAsync(_ =>
        {
            Interlocked.Increment(ref calls);
            throw new SocketException((int)SocketError.ConnectionRefused);
        }).AsTask()).ToList();
        foreach (var write in writes)
        {
            var e = await Assert.ThrowsAnyAsync<Exception>(() => write);
            Assert.True(e is SocketException or BrokenCircuitException, e.ToString());
        }

        Assert.True(transitions.FirstOrDefault(), "the circuit opened");
        Assert.InRange(calls, 4, 12); // without the breaker: 24
    }

    [Fact]
    public async Task WhenTheServerComesBack_TheCircuitCloses_AndTheCallSucceeds()
    {
        var down = true;
        var transitions = new System.Collections.Concurrent.ConcurrentQueue<bool>();
        var pipeline = Resilience.Create(TimeSpan.FromSeconds(30), TimeProvider.System, transitions.Enqueue);
        var failing = Enumerable.Range(0, 4).Select(_ => pipeline.ExecuteAsync(_ =>
            down ? throw new SocketException((int)SocketError.ConnectionRefused) : ValueTask.FromResult(1)).AsTask()).ToList();
        await Eventually.TrueAsync(() => Task.FromResult(transitions.Contains(true)), TimeSpan.FromSeconds(10));

        down = false;
        Assert.All(await Task.WhenAll(failing), r => Assert.Equal(1, r));
        Assert.Equal([true, false], transitions);
    }

    [Fact]
    public async Task ABugIsNotRetried()
    {
        var calls = 0;
        var pipeline = Resilience.Create(TimeSpan.FromSeconds(30), TimeProvider.System);
        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync<int>(_ =>
        {
            calls++;
            throw new InvalidOperationException("bug");
        }).AsTask());
        Assert.Equal(1, calls);
    }

    [Theory]
    [InlineData("40P01", true)] // deadlock_detected: batches written at once that touch one task
    [InlineData("40001", true)] // serialization_failure
    [InlineData("57P03", true)] // cannot_connect_now: starting up
    [InlineData("23505", false)] // unique_violation: a bug, not an outage
    [InlineData("42501", false)] // insufficient_privilege: a misconfigured role
    public void APostgresError_IsRetried_OnlyWhenTryingAgainCanSucceed(string sqlState, bool retried)
    {
        Assert.Equal(retried, Resilience.IsTransient(new Npgsql.PostgresException("x", "ERROR", "ERROR", sqlState)));
    }
}
