using System.Net;
using System.Net.Http.Json;
using Serverless2FA.IntegrationTests.Bot;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Lifecycle;

/// <summary>Replacing an enrolled user's factor (a new phone or method) takes a fresh, unused step-up of that user; without one nothing is texted.</summary>
[Collection(ServiceCollection.Name)]
public sealed class StepUpTests(ServiceFixture fixture)
{
    [Fact]
    public async Task Replacing_WithoutAStepUp_Is409AlreadyEnrolled_AndTextsNothing_ByLinkOrByText()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var phone = SetupDriver.NewPhone();

        using var byLink = await Lifecycle.ReplaceAsync(user, phone, stepUp: null);
        using var byText = await user.Client.PostAsJsonAsync("/api/enrollments", new { userId = user.UserId });

        await Lifecycle.ProblemAsync(byLink, HttpStatusCode.Conflict, "already-enrolled");
        await Lifecycle.ProblemAsync(byText, HttpStatusCode.Conflict, "already-enrolled");
        Assert.Empty(fixture.Twilio.MessagesTo(phone));
        Assert.True((await user.StatusAsync()).GetProperty("enrolled").GetBoolean());
    }

    [Fact]
    public async Task Replacing_WithAnUnknownForeignUnapprovedStaleOrUsedStepUp_Is403_AndTextsNothing()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var other = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var foreign = await other.StepUpAsync();
        var unapproved = await user.StartVerificationAsync();
        var used = await user.StepUpAsync();
        using (var first = await Lifecycle.ReplaceAsync(user, SetupDriver.NewPhone(), used))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        var stale = await user.StepUpAsync();
        fixture.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        foreach (var stepUp in new[] { "ver_unknown0000000000000", "not-an-id", foreign, unapproved, used, stale })
        {
            var phone = SetupDriver.NewPhone();
            using var refused = await Lifecycle.ReplaceAsync(user, phone, stepUp);
            await Lifecycle.ProblemAsync(refused, HttpStatusCode.Forbidden, "step-up-invalid");
            Assert.Empty(fixture.Twilio.MessagesTo(phone));
        }
    }

    [Fact]
    public async Task OneStepUp_UsedByParallelStarts_LetsExactlyOneProceed()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var stepUp = await user.StepUpAsync();
        var phones = Enumerable.Range(0, 6).Select(_ => SetupDriver.NewPhone()).ToList();

        var answers = await Task.WhenAll(phones.Select(phone => Lifecycle.ReplaceAsync(user, phone, stepUp)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.Forbidden));
        Assert.Equal(1, phones.Sum(phone => fixture.Twilio.MessagesTo(phone).Count));
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task ChangingThePhone_ByLink_ReplacesTheFactor_TellsTheOldPhone_AndKeepsTheFailureCount()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator", "once-per-computer");
        var stepUp = await user.StepUpAsync();
        // Three wrong codes after the step-up: a new phone must not wipe them.
        var guessed = await user.StartVerificationAsync();
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await user.CheckAsync(guessed, user.WrongCode());
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        var newPhone = SetupDriver.NewPhone();
        var driver = new SetupDriver(fixture);
        using (var started = await Lifecycle.ReplaceAsync(user, newPhone, stepUp))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        var oldTexts = fixture.Twilio.MessagesTo(user.Phone).Count;
        using var completed = await Lifecycle.FinishBySmsAsync(driver, newPhone);

        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var status = await user.StatusAsync();
        Assert.Equal("sms", status.GetProperty("method").GetString());
        Assert.Equal("+1 ••• ••• " + newPhone[^4..], status.GetProperty("phoneMasked").GetString());
        var notice = Assert.Single(fixture.Twilio.MessagesTo(user.Phone).Skip(oldTexts));
        Assert.Contains("moved to a new phone", notice.Body);
        Assert.DoesNotContain(newPhone[^4..], notice.Body);
        var audit = await Lifecycle.AuditAsync(user);
        Assert.Equal("factor-replaced", audit[0].Event);
        Assert.Equal("authenticator to sms, policy every-login", audit[0].Detail);
        Assert.Single(audit, e => e.Event == "enrolled");

        // The count carried over: two more wrong codes on the new factor make five, and lock it.
        var after = await user.StartVerificationAsync();
        var wrongCode = EnrolledUser.Other(driver.CodeTextedTo(newPhone));
        using (var fourth = await user.CheckAsync(after, wrongCode))
        {
            Assert.Equal(1, (await SetupDriver.JsonAsync(fourth)).GetProperty("attemptsLeft").GetInt32());
        }

        using var fifth = await user.CheckAsync(after, wrongCode);
        Assert.Equal(HttpStatusCode.Locked, fifth.StatusCode);
    }

    [Fact]
    public async Task ALockedFactor_StaysLocked_WhenItIsReplaced()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var stepUp = await user.StepUpAsync();
        var guessed = await user.StartVerificationAsync();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await user.CheckAsync(guessed, user.WrongCode());
        }

        var newPhone = SetupDriver.NewPhone();
        using (var started = await Lifecycle.ReplaceAsync(user, newPhone, stepUp))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        using var completed = await Lifecycle.FinishBySmsAsync(new SetupDriver(fixture), newPhone);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);

        using var start = await user.StartAsync();
        Assert.Equal(HttpStatusCode.Locked, start.StatusCode);
        Assert.DoesNotContain(fixture.Twilio.MessagesTo(newPhone), m => m.Body.Contains("sign-in code", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChangingThePhone_ByText_JoinsTheNewPhone_AndTellsTheOldOne()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var stepUp = await user.StepUpAsync();
        var bot = new BotDriver(fixture);

        using var started = await user.Client.PostAsJsonAsync("/api/enrollments", new { userId = user.UserId, stepUp, policy = "every-login" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var joinCode = (await SetupDriver.JsonAsync(started)).GetProperty("joinCode").GetString()!;
        var newPhone = SetupDriver.NewPhone();
        Assert.Contains("phone linked", (await bot.Phone.TextAsync(newPhone, "JOIN " + joinCode)).Reply);
        await bot.Phone.TextAsync(newPhone, "1");
        await bot.Phone.TextAsync(newPhone, bot.Setup.CodeTextedTo(newPhone));
        var done = await bot.Phone.TextAsync(newPhone, "SAVED");

        Assert.Contains("done", done.Reply);
        var status = await user.StatusAsync();
        Assert.Equal("+1 ••• ••• " + newPhone[^4..], status.GetProperty("phoneMasked").GetString());
        Assert.Contains("moved to a new phone", fixture.Twilio.MessagesTo(user.Phone)[^1].Body);
        Assert.Equal("factor-replaced", (await Lifecycle.AuditAsync(user))[0].Event);
    }

    [Fact]
    public async Task AStepUp_OfAFactorReplacedSince_NoLongerCounts()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var first = await user.StepUpAsync();
        fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        var second = await user.StepUpAsync();
        var newPhone = SetupDriver.NewPhone();
        using (var started = await Lifecycle.ReplaceAsync(user, newPhone, first))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        using (var completed = await Lifecycle.FinishBySmsAsync(new SetupDriver(fixture), newPhone))
        {
            Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        }

        using var again = await Lifecycle.ReplaceAsync(user, SetupDriver.NewPhone(), second);
        await Lifecycle.ProblemAsync(again, HttpStatusCode.Forbidden, "step-up-invalid");
    }
}
