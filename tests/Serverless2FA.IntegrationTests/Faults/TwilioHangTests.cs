using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Serverless2FA.IntegrationTests.Bot;
using Serverless2FA.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Serverless2FA.IntegrationTests.Faults;

/// <summary>
/// Twilio accepts connections and never answers. Every text gives up within <c>Twilio:SendBudget</c> (a try times out
/// and is retried within it), the routes that text answer 503 with Retry-After — a log-in with its verificationId — and
/// the rest answer as usual; once Twilio answers again, everything can be done again and nothing was left half-made.
/// </summary>
[Collection(TwilioHangCollection.Name)]
public sealed partial class TwilioHangTests(FaultFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task EveryText_GivesUpWithinTheSendBudget_OtherRoutesAnswerAsUsual_ThenItRecovers()
    {
        var setup = new SetupDriver(fixture);
        var bot = new BotDriver(fixture);
        var smsUser = await EnrolledUser.EnrollAsync(fixture, "sms");
        var appUser = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var (_, setupPhone, setupCookie) = await setup.StartAndOpenAsync();
        var (_, botPhone) = await bot.JoinAsync();
        var (linkUser, linkPhone) = (SetupDriver.NewUserId(), SetupDriver.NewPhone());

        using var client = fixture.NewFaultClient();
        var phone = new BotPhone(client, fixture.Twilio.AuthToken, BotDriver.PublicBaseUrl, ServiceFixture.FromNumber);
        fixture.Twilio.Hold();
        TimedAnswer[] answers;
        try
        {
            answers = await Task.WhenAll(
                TimedAnswer.Of("start by link", () => client.PostAsJsonAsync("/api/enrollments", new { userId = linkUser, phone = linkPhone })),
                TimedAnswer.Of("start verification", () => client.PostAsJsonAsync("/api/verifications", new { userId = smsUser.UserId })),
                TimedAnswer.Of("setup code", () => Post(client, "/api/setup/sms", setupCookie)),
                TimedAnswer.Of("twilio webhook", () => phone.PostSignedAsync(BotPhone.SmsPath, phone.Inbound(botPhone, "1"))),
                TimedAnswer.Of("user status", () => client.GetAsync($"/api/users/{smsUser.UserId}/two-factor")),
                TimedAnswer.Of("start app verification", () => client.PostAsJsonAsync("/api/verifications", new { userId = appUser.UserId })),
                TimedAnswer.Of("health", () => client.GetAsync("/api/health")));
        }
        finally
        {
            fixture.Twilio.Release();
        }

        TimedAnswer.Report(output, answers);
        var byWhat = answers.ToDictionary(a => a.What);
        foreach (var texting in new[] { "start by link", "start verification", "setup code" })
        {
            byWhat[texting].AssertUnavailableWithin(FaultFixture.SendBudget);
        }

        // A log-in whose code could not be texted still has a verification an emergency code can pass.
        var unsentVerification = byWhat["start verification"].Json.GetProperty("verificationId").GetString()!;
        // The bot tells the person in its TwiML answer, in time for Twilio's 15 s webhook limit.
        var webhook = byWhat["twilio webhook"];
        webhook.AssertWithin(FaultFixture.SendBudget);
        Assert.Equal(HttpStatusCode.OK, webhook.Status);
        Assert.Contains("could not send", XDocument.Parse(webhook.Body).Root!.Element("Message")!.Value);
        // What does not text does not wait on Twilio at all.
        foreach (var untouched in new[] { "user status", "start app verification", "health" })
        {
            Assert.True(byWhat[untouched].Status == HttpStatusCode.OK, byWhat[untouched] + " " + byWhat[untouched].Body);
            byWhat[untouched].AssertWithin(TimeSpan.Zero);
        }

        // Each send was tried again after a try ran out of time: the per-try timeout, not only the overall deadline.
        Assert.True(fixture.Twilio.AttemptsFor(linkPhone) >= 2, $"{fixture.Twilio.AttemptsFor(linkPhone)} tries");

        // Twilio answers again: the same service texts again, and what answered 503 can be done again.
        using (var approved = await smsUser.CheckAsync(unsentVerification, smsUser.EmergencyCodes[0]))
        {
            Assert.Equal("approved", (await SetupDriver.JsonAsync(approved)).GetProperty("status").GetString());
        }

        var verificationId = await smsUser.StartVerificationAsync();
        using (var approved = await smsUser.CheckAsync(verificationId, smsUser.LastTextedCode()))
        {
            Assert.Equal("approved", (await SetupDriver.JsonAsync(approved)).GetProperty("status").GetString());
        }

        using (var again = await setup.StartAsync(new { userId = linkUser, phone = linkPhone }))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        }

        Assert.NotNull(await setup.OpenAsync(setup.LinkTextedTo(linkPhone)));

        using (var sent = await setup.SendAsync(HttpMethod.Post, "/api/setup/sms", setupCookie))
        {
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        }

        using (var verified = await setup.PostAsync("/api/setup/verify", setupCookie, new { code = setup.CodeTextedTo(setupPhone) }))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        Assert.Contains("6-digit code", (await bot.Phone.TextAsync(botPhone, "1")).Reply);
        Assert.Contains(fixture.Twilio.MessagesTo(botPhone), m => SixDigits().IsMatch(m.Body));

        // Log-in with an authenticator never needed Twilio.
        var appVerification = byWhat["start app verification"].Json.GetProperty("verificationId").GetString()!;
        using var appApproved = await appUser.CheckAsync(appVerification, appUser.TotpCode());
        Assert.Equal("approved", (await SetupDriver.JsonAsync(appApproved)).GetProperty("status").GetString());
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, string path, string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("Cookie", cookie);
        return client.SendAsync(request);
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
