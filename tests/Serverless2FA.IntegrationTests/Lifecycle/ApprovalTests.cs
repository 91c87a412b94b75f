using System.Net;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Lifecycle;

/// <summary>A log-in by text: approved once for ever, and the resend cooldown only while a code is pending.</summary>
[Collection(LifecycleCollection.Name)]
public sealed class ApprovalTests(LifecycleFixture fixture)
{
    [Fact]
    public async Task AnApprovedVerification_Is410_AfterTwentyLaterApprovals()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        var first = await user.StartVerificationAsync();
        var firstCode = user.LastTextedCode();
        using (var approved = await user.CheckAsync(first, firstCode))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }

        // Each approval settles its code, so each next log-in texts at once (no cooldown).
        for (var i = 0; i < 20; i++)
        {
            var id = await user.StartVerificationAsync();
            using var later = await user.CheckAsync(id, user.LastTextedCode());
            Assert.Equal("approved", (await SetupDriver.JsonAsync(later)).GetProperty("status").GetString());
        }

        using var again = await user.CheckAsync(first, firstCode);

        var problem = await Lifecycle.ProblemAsync(again, HttpStatusCode.Gone, "gone");
        Assert.Contains("already approved", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AStartWithinTheCooldown_OfAPendingCode_Is429_NamingIt_AndThatCodeStillApproves()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        var pending = await user.StartVerificationAsync();
        var texts = fixture.Twilio.MessagesTo(user.Phone).Count;

        using var second = await user.StartAsync();

        var problem = await Lifecycle.ProblemAsync(second, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal(pending, problem.GetProperty("verificationId").GetString());
        Assert.InRange(second.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.Equal(texts, fixture.Twilio.MessagesTo(user.Phone).Count);
        using var approved = await user.CheckAsync(pending, user.LastTextedCode());
        Assert.Equal("approved", (await SetupDriver.JsonAsync(approved)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AfterAnApproval_TheNextStartTextsAtOnce_WithinTheCooldown()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        var first = await user.StartVerificationAsync();
        using (var approved = await user.CheckAsync(first, user.LastTextedCode()))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }

        var texts = fixture.Twilio.MessagesTo(user.Phone).Count;
        var next = await user.StartVerificationAsync();

        Assert.NotEqual(first, next);
        Assert.Equal(texts + 1, fixture.Twilio.MessagesTo(user.Phone).Count);
        using var approvedNext = await user.CheckAsync(next, user.LastTextedCode());
        Assert.Equal("approved", (await SetupDriver.JsonAsync(approvedNext)).GetProperty("status").GetString());
    }
}
