extern alias demo;

using demo::Serverless2FA.DemoApp.TwoFactor;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Serverless2FA.ClientTests;

/// <summary>With events on, the demo's page still reads the service's status now and then while it waits, unless told not to.</summary>
public sealed class DemoStatusReadTests
{
    [Fact]
    public void WhileWaiting_TheStatusIsReadOncePerInterval_CountedFromTheFirstPoll()
    {
        var clock = new FakeTimeProvider();
        var reads = new WaitingStatusReads(clock, Settings("00:00:10"));

        var first = reads.Due("u");
        clock.Advance(TimeSpan.FromSeconds(9));
        var early = reads.Due("u");
        clock.Advance(TimeSpan.FromSeconds(1));
        var due = reads.Due("u");
        var right = reads.Due("u");
        reads.Done("u");
        clock.Advance(TimeSpan.FromSeconds(10));
        var afresh = reads.Due("u");

        Assert.Equal([false, false, true, false, false], [first, early, due, right, afresh]);
    }

    [Fact]
    public void Zero_TurnsTheSafetyNetOff()
    {
        var clock = new FakeTimeProvider();
        var reads = new WaitingStatusReads(clock, Settings("00:00:00"));

        reads.Due("u");
        clock.Advance(TimeSpan.FromHours(1));

        Assert.False(reads.Due("u"));
    }

    private static IConfiguration Settings(string every)
        => new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create(WaitingStatusReads.Setting, (string?)every)]).Build();
}
