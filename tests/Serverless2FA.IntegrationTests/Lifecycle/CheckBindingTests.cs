using System.Net;
using System.Net.Http.Json;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Lifecycle;

/// <summary>A check names the user whose verification it is: another user's id finds nothing and counts nothing.</summary>
[Collection(ServiceCollection.Name)]
public sealed class CheckBindingTests(ServiceFixture fixture)
{
    [Fact]
    public async Task Check_WithAnotherUsersId_Is404_AndCountsNothing()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var other = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var verificationId = await user.StartVerificationAsync();

        using var foreignWrong = await user.Client.PostAsJsonAsync($"/api/verifications/{verificationId}/check", new { userId = other.UserId, code = user.WrongCode() });
        using var foreignRight = await user.Client.PostAsJsonAsync($"/api/verifications/{verificationId}/check", new { userId = other.UserId, code = user.TotpCode() });
        using var unknownUser = await user.Client.PostAsJsonAsync($"/api/verifications/{verificationId}/check", new { userId = SetupDriver.NewUserId(), code = user.WrongCode() });
        using var own = await user.CheckAsync(verificationId, user.WrongCode());

        await Lifecycle.ProblemAsync(foreignWrong, HttpStatusCode.NotFound, "not-found");
        await Lifecycle.ProblemAsync(foreignRight, HttpStatusCode.NotFound, "not-found");
        await Lifecycle.ProblemAsync(unknownUser, HttpStatusCode.NotFound, "not-found");
        Assert.Equal(4, (await SetupDriver.JsonAsync(own)).GetProperty("attemptsLeft").GetInt32());
        Assert.DoesNotContain("verified", await user.AuditEventsAsync());
    }

    [Fact]
    public async Task Check_WithoutAUserId_Is400_NamingIt_AndCountsNothing()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var verificationId = await user.StartVerificationAsync();

        using var missing = await user.Client.PostAsJsonAsync($"/api/verifications/{verificationId}/check", new { code = user.WrongCode() });
        using var own = await user.CheckAsync(verificationId, user.WrongCode());

        var problem = await Lifecycle.ProblemAsync(missing, HttpStatusCode.BadRequest, "invalid");
        Assert.True(problem.GetProperty("errors").TryGetProperty("userId", out _));
        Assert.Equal(4, (await SetupDriver.JsonAsync(own)).GetProperty("attemptsLeft").GetInt32());
    }

    [Fact]
    public async Task TheApproval_NamesTheUser_TheVerification_AndTheMethod()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var verificationId = await user.StartVerificationAsync();

        using var approved = await user.CheckAsync(verificationId, user.TotpCode());

        var body = await SetupDriver.JsonAsync(approved);
        Assert.Equal("approved", body.GetProperty("status").GetString());
        Assert.Equal(user.UserId, body.GetProperty("userId").GetString());
        Assert.Equal(verificationId, body.GetProperty("verificationId").GetString());
        Assert.Equal("authenticator", body.GetProperty("method").GetString());
    }

    [Fact]
    public async Task ParallelChecks_OfOneRightCode_ApproveOnce_AndTheRestAre410()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var verificationId = await user.StartVerificationAsync();
        var code = user.TotpCode();

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => user.CheckAsync(verificationId, code)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Gone, a.StatusCode));
        Assert.Single(await user.AuditEventsAsync(), e => e == "verified");
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }
}
