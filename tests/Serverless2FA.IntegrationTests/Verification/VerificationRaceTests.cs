using System.Net;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Verification;

[Collection(ServiceCollection.Name)]
public sealed class VerificationRaceTestsOnLocalHost(ServiceFixture fixture) : VerificationRaceTests(fixture);

/// <summary>Real parallel requests: storage (ETags), not luck, decides who wins (both hosts).</summary>
public abstract class VerificationRaceTests(IServiceFixture fixture)
{
    [Fact]
    public async Task SixtyFourParallelWrongGuesses_CountAtMostFive_TheRestAreLocked()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var id = await user.StartVerificationAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => user.CheckAsync(id, "000000")));

        // Four are answered "denied" and the fifth counted one locks the factor; everything after it is 423.
        Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(60, responses.Count(r => r.StatusCode == HttpStatusCode.Locked));
        var left = await Task.WhenAll(responses.Where(r => r.StatusCode == HttpStatusCode.OK).Select(SetupDriver.JsonAsync));
        Assert.Equal([1, 2, 3, 4], left.Select(b => b.GetProperty("attemptsLeft").GetInt32()).Order());
        var audit = await user.AuditEventsAsync();
        Assert.Equal(4, audit.Count(e => e == "denied"));
        Assert.Equal(1, audit.Count(e => e == "locked"));
        using var right = await user.CheckAsync(id, user.TotpCode());
        Assert.Equal(HttpStatusCode.Locked, right.StatusCode);
    }

    [Fact]
    public async Task SameTotpCode_OnParallelVerifications_IsApprovedOnce()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await user.StartVerificationAsync());
        }

        var code = user.TotpCode();

        var responses = await Task.WhenAll(ids.Concat(ids).Select(id => user.CheckAsync(id, code)));

        var bodies = await Task.WhenAll(responses.Where(r => r.StatusCode == HttpStatusCode.OK).Select(SetupDriver.JsonAsync));
        Assert.Equal(1, bodies.Count(b => b.GetProperty("status").GetString() == "approved"));
    }

    [Fact]
    public async Task SameEmergencyCode_OnParallelVerifications_IsApprovedOnce()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await user.StartVerificationAsync());
        }

        var responses = await Task.WhenAll(ids.Select(id => user.CheckAsync(id, user.EmergencyCodes[0])));

        var bodies = await Task.WhenAll(responses.Where(r => r.StatusCode == HttpStatusCode.OK).Select(SetupDriver.JsonAsync));
        Assert.Equal(1, bodies.Count(b => b.GetProperty("status").GetString() == "approved"));
        Assert.Equal(4, (await user.StatusAsync()).GetProperty("emergencyCodesLeft").GetInt32());
    }

    [Fact]
    public async Task SameSmsCode_InParallel_IsApprovedOnce()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        var id = await user.StartVerificationAsync();
        var code = user.LastTextedCode();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => user.CheckAsync(id, code)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Gone));
    }
}
