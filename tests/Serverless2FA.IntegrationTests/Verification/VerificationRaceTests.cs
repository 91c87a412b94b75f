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
        AssertOnly(responses, HttpStatusCode.OK, HttpStatusCode.Locked);
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

        // The losers are told the code or the verification is spent, or (a replayed code counts as a wrong one) that the
        // factor locked; a fault (5xx) is not a lost race.
        AssertOnly(responses, HttpStatusCode.OK, HttpStatusCode.Gone, HttpStatusCode.Locked);
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

        AssertOnly(responses, HttpStatusCode.OK, HttpStatusCode.Gone);
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

        AssertOnly(responses, HttpStatusCode.OK, HttpStatusCode.Gone);
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Gone));
    }

    /// <summary>Every answer is a decided outcome: a 5xx (or any status but these) fails the test instead of passing as a loser.</summary>
    private static void AssertOnly(HttpResponseMessage[] responses, params HttpStatusCode[] expected)
    {
        var unexpected = responses.Where(r => !expected.Contains(r.StatusCode)).Select(r => (int)r.StatusCode).ToList();
        Assert.True(unexpected.Count == 0, $"Answers other than {string.Join(", ", expected.Select(e => (int)e))}: {string.Join(", ", unexpected)}");
    }
}
