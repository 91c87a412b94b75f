using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using OtpNet;
using Serverless2FA.IntegrationTests.Bot;
using Serverless2FA.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Serverless2FA.IntegrationTests.Faults;

/// <summary>
/// Table Storage fails under a running service (how: the derived class). Every route that needs it answers 503
/// problem+json with Retry-After within <c>Storage:RequestBudget</c> plus a margin, also under parallel requests, none
/// answers 500; once storage is back the same service answers again, and nothing was lost or left half-made.
/// </summary>
public abstract partial class StorageFaultTests(FaultFixture fixture, ITestOutputHelper output)
{
    private const string Timer = "ExpirePendingVerifications";

    protected FaultFixture Fixture => fixture;

    protected ITestOutputHelper Output => output;

    /// <summary>Makes storage fail.</summary>
    protected abstract Task BreakAsync();

    /// <summary>Brings storage back.</summary>
    protected abstract Task HealAsync();

    [Fact]
    public async Task EveryRoute_AnswersUnavailableWithinTheBudget_ThenRecovers_WithNothingLostOrHalfMade()
    {
        // What exists before the fault, and must still be there, whole, after it.
        var setup = new SetupDriver(fixture);
        var bot = new BotDriver(fixture);
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var verificationId = await user.StartVerificationAsync();
        await GuessWrongAsync(user, verificationId, expectedAttemptsLeft: 4);
        await GuessWrongAsync(user, verificationId, expectedAttemptsLeft: 3);
        var (_, _, setupCookie) = await setup.StartAndOpenAsync();
        var unopenedPhone = SetupDriver.NewPhone();
        using (var started = await setup.StartAsync(new { userId = SetupDriver.NewUserId(), phone = unopenedPhone }))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        var unopenedLink = setup.LinkTextedTo(unopenedPhone);
        var (_, joinCode, _) = await bot.StartByTextAsync();
        var joiningPhone = SetupDriver.NewPhone();
        var byLink = Enumerable.Range(0, 2).Select(_ => (UserId: SetupDriver.NewUserId(), Phone: SetupDriver.NewPhone())).ToList();
        var byText = Enumerable.Range(0, 2).Select(_ => SetupDriver.NewUserId()).ToList();

        using var client = fixture.NewFaultClient();
        var phone = new BotPhone(client, fixture.Twilio.AuthToken, BotDriver.PublicBaseUrl, ServiceFixture.FromNumber);
        await BreakAsync();
        TimedAnswer[] answers;
        (TimeSpan Elapsed, bool Failed) timer;
        try
        {
            var timerRun = RunTimerAsync(client);
            answers = await Task.WhenAll(
            [
                .. byLink.Select(s => TimedAnswer.Of("start by link", () => client.PostAsJsonAsync("/api/enrollments", new { userId = s.UserId, phone = s.Phone }))),
                .. byText.Select(userId => TimedAnswer.Of("start by text", () => client.PostAsJsonAsync("/api/enrollments", new { userId }))),
                TimedAnswer.Of("open link", () => client.GetAsync(unopenedLink)),
                TimedAnswer.Of("setup status", () => Send(client, HttpMethod.Get, "/api/setup", setupCookie, json: null)),
                TimedAnswer.Of("setup authenticator", () => Send(client, HttpMethod.Post, "/api/setup/authenticator", setupCookie, "{}")),
                TimedAnswer.Of("start verification", () => client.PostAsJsonAsync("/api/verifications", new { userId = user.UserId })),
                TimedAnswer.Of("check verification", () => client.PostAsJsonAsync($"/api/verifications/{verificationId}/check", new { userId = user.UserId, code = "000000" })),
                .. Enumerable.Range(0, 2).Select(_ => TimedAnswer.Of("user status", () => client.GetAsync($"/api/users/{user.UserId}/two-factor"))),
                TimedAnswer.Of("twilio webhook", () => phone.PostSignedAsync(BotPhone.SmsPath, phone.Inbound(joiningPhone, "JOIN " + joinCode))),
                .. Enumerable.Range(0, 2).Select(_ => TimedAnswer.Of("health", () => client.GetAsync("/api/health"))),
            ]);
            timer = await timerRun;
        }
        finally
        {
            await HealAsync();
        }

        TimedAnswer.Report(output, answers, ("timer run", timer.Elapsed));
        Assert.All(answers, a => a.AssertUnavailableWithin(FaultFixture.StorageBudget));
        Assert.All(answers.Where(a => a.What == "health"), a => Assert.Equal("failing", a.Json.GetProperty("storage").GetString()));
        Assert.True(timer.Failed, "The timer run should have failed on storage, and been logged as failed.");
        Assert.True(timer.Elapsed < FaultFixture.StorageBudget + FaultFixture.Margin, $"The timer run ended after {timer.Elapsed}.");

        // The same service, not restarted, answers again.
        await WaitUntilHealthyAsync(client);

        // Enrolled users are still enrolled and verifiable; the wrong guess answered 503 was not counted.
        Assert.True((await user.StatusAsync()).GetProperty("enrolled").GetBoolean());
        await GuessWrongAsync(user, verificationId, expectedAttemptsLeft: 2);
        Assert.Equal(3, (await user.AuditEventsAsync()).Count(e => e == "denied"));
        using (var approved = await user.CheckAsync(verificationId, user.TotpCode()))
        {
            Assert.Equal("approved", (await SetupDriver.JsonAsync(approved)).GetProperty("status").GetString());
        }

        // A start answered 503 exists or not; either way it can be started again, and completes.
        foreach (var (userId, linkPhone) in byLink)
        {
            using var again = await setup.StartAsync(new { userId, phone = linkPhone });
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
            var cookie = await setup.OpenAsync(setup.LinkTextedTo(linkPhone));
            await CompleteWithAuthenticatorAsync(setup, cookie);
        }

        foreach (var userId in byText)
        {
            using var again = await setup.StartAsync(new { userId });
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
            var code = (await SetupDriver.JsonAsync(again)).GetProperty("joinCode").GetString();
            Assert.Contains("phone linked", (await bot.Phone.TextAsync(SetupDriver.NewPhone(), "JOIN " + code)).Reply);
        }

        // The link and the setup answered 503 were not used up or half-moved.
        Assert.NotNull(await setup.OpenAsync(unopenedLink));
        await CompleteWithAuthenticatorAsync(setup, setupCookie);
        // Twilio sends the person's text again as a new message: the join code still works.
        Assert.Contains("phone linked", (await bot.Phone.TextAsync(joiningPhone, "JOIN " + joinCode)).Reply);

        // The timer works again and expires what fell due meanwhile.
        fixture.Clock.Advance(TimeSpan.FromMinutes(20));
        var (_, failedAgain) = await RunTimerAsync(client);
        Assert.False(failedAgain, "The timer run after recovery failed.");
        var sweep = fixture.Logs.Lines.Last(l => l.Contains("Expiry sweep:", StringComparison.Ordinal));
        var counts = SweepCounts().Match(sweep);
        Assert.True(counts.Success, sweep);
        Assert.True(int.Parse(counts.Groups["expired"].Value, CultureInfo.InvariantCulture) >= 1, sweep);
        Assert.Equal("0", counts.Groups["failed"].Value);
    }

    private static async Task GuessWrongAsync(EnrolledUser user, string verificationId, int expectedAttemptsLeft)
    {
        using var denied = await user.CheckAsync(verificationId, "000000");
        Assert.Equal(HttpStatusCode.OK, denied.StatusCode);
        var body = await SetupDriver.JsonAsync(denied);
        Assert.Equal("denied", body.GetProperty("status").GetString());
        Assert.Equal(expectedAttemptsLeft, body.GetProperty("attemptsLeft").GetInt32());
    }

    private async Task CompleteWithAuthenticatorAsync(SetupDriver setup, string cookie)
    {
        using var app = await setup.SendAsync(HttpMethod.Post, "/api/setup/authenticator", cookie);
        Assert.Equal(HttpStatusCode.OK, app.StatusCode);
        var secret = (await SetupDriver.JsonAsync(app)).GetProperty("secret").GetString()!;
        var code = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(fixture.Clock.GetUtcNow().UtcDateTime);
        using var verified = await setup.PostAsync("/api/setup/verify", cookie, new { code });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        using var completed = await setup.PostAsync("/api/setup/complete", cookie, new { policy = "every-login", acknowledged = true });
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
    }

    /// <summary>Runs the timer through the local host's admin endpoint and waits for the run to end (from the host's log).</summary>
    private async Task<(TimeSpan Elapsed, bool Failed)> RunTimerAsync(HttpClient client)
    {
        static bool Ended(string line) => line.Contains($"Executed function {Timer}", StringComparison.Ordinal)
            || line.Contains($"Function {Timer} failed", StringComparison.Ordinal);

        var before = fixture.Logs.Lines.Count(Ended);
        var clock = Stopwatch.StartNew();
        using (var accepted = await client.PostAsync($"/admin/functions/{Timer}", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        while (fixture.Logs.Lines.Count(Ended) == before)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "The timer run did not end.");
            await Task.Delay(50);
        }

        return (clock.Elapsed, fixture.Logs.Lines.Last(Ended).Contains("failed", StringComparison.Ordinal));
    }

    private static async Task WaitUntilHealthyAsync(HttpClient client)
    {
        await Poll.UntilAsync(
            async () =>
            {
                using var health = await client.GetAsync("/api/health");
                return health.StatusCode;
            },
            status => status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30),
            status => $"The service did not recover once storage was back (health answers {(int)status}).");
    }

    protected static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string cookie, string? json)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request);
    }

    [GeneratedRegex(@"Expiry sweep: (?<expired>\d+) expired .*?(?<failed>\d+) failed;")]
    private static partial Regex SweepCounts();
}

/// <summary>Storage stalls: its process is frozen (SIGSTOP), so connections are accepted and never answered.</summary>
[Collection(StorageStallCollection.Name)]
public sealed class StorageStallTests(FaultFixture fixture, ITestOutputHelper output) : StorageFaultTests(fixture, output)
{
    protected override Task BreakAsync()
    {
        Fixture.Storage.Pause();
        return Task.CompletedTask;
    }

    protected override Task HealAsync()
    {
        Fixture.Storage.Resume();
        return Task.CompletedTask;
    }

    /// <summary>A caller that hangs up while storage stalls is neither answered nor logged as a fault: nothing failed but its connection.</summary>
    [Fact]
    public async Task ACallerThatHangsUp_DuringAStall_IsNotLoggedAsAFault()
    {
        using var client = Fixture.NewFaultClient();
        var userId = SetupDriver.NewUserId();
        bool Logged(string line) => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains("GetTwoFactorStatus", StringComparison.Ordinal);
        var before = Fixture.Logs.Lines.Count(Logged);

        await BreakAsync();
        try
        {
            using var hangUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync($"/api/users/{userId}/two-factor", hangUp.Token));
            // Past the storage budget: by now the call the caller left has ended one way or the other.
            await Task.Delay(FaultFixture.StorageBudget);
        }
        finally
        {
            await HealAsync();
        }

        Assert.Equal(before, Fixture.Logs.Lines.Count(Logged));
        Assert.Contains(Fixture.Logs.Lines, l => l.Contains("GetTwoFactorStatus: the caller went away", StringComparison.Ordinal));
    }

    /// <summary>
    /// Storage stalls just as Twilio takes a text. The text is out, so each request answers as if nothing happened
    /// (a 503 would make the relying app retry and the person get a second text), within the budget; what the stall
    /// kept from being written (the text's delivery-report row) is logged; and what was texted works once storage is back.
    /// </summary>
    [Fact]
    public async Task AStallJustAsTwilioTakesAText_LeavesTheSendStanding()
    {
        var setup = new SetupDriver(Fixture);
        var smsUser = await EnrolledUser.EnrollAsync(Fixture, "sms");
        var (_, setupPhone, setupCookie) = await setup.StartAndOpenAsync();
        var (linkUser, linkPhone) = (SetupDriver.NewUserId(), SetupDriver.NewPhone());
        var textsBefore = Fixture.Twilio.MessagesTo(smsUser.Phone).Count;
        static bool NotRecorded(string line) => line.Contains("Could not record", StringComparison.Ordinal);
        var notRecordedBefore = Fixture.Logs.Lines.Count(NotRecorded);
        using var client = Fixture.NewFaultClient();

        // One at a time: each stalls storage from its own send on.
        var link = await StallOnSendAsync(linkPhone, "start by link", () => client.PostAsJsonAsync("/api/enrollments", new { userId = linkUser, phone = linkPhone }));
        var code = await StallOnSendAsync(setupPhone, "setup code", () => Send(client, HttpMethod.Post, "/api/setup/sms", setupCookie, "{}"));
        var login = await StallOnSendAsync(smsUser.Phone, "start verification", () => client.PostAsJsonAsync("/api/verifications", new { userId = smsUser.UserId }));

        TimedAnswer.Report(Output, [link, code, login]);
        Assert.True(link.Status == HttpStatusCode.Accepted, $"{link} {link.Body}");
        Assert.True(code.Status == HttpStatusCode.Accepted, $"{code} {code.Body}");
        Assert.True(login.Status == HttpStatusCode.OK, $"{login} {login.Body}");
        Assert.All([link, code, login], a => a.AssertWithin(FaultFixture.StorageBudget));
        Assert.Equal(notRecordedBefore + 3, Fixture.Logs.Lines.Count(NotRecorded));

        // One text each, and each works.
        Assert.Single(Fixture.Twilio.MessagesTo(linkPhone));
        Assert.Equal(textsBefore + 1, Fixture.Twilio.MessagesTo(smsUser.Phone).Count);
        Assert.NotNull(await setup.OpenAsync(setup.LinkTextedTo(linkPhone)));
        using (var verified = await setup.PostAsync("/api/setup/verify", setupCookie, new { code = setup.CodeTextedTo(setupPhone) }))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        var verificationId = login.Json.GetProperty("verificationId").GetString()!;
        using var approved = await smsUser.CheckAsync(verificationId, smsUser.LastTextedCode());
        Assert.Equal("approved", (await SetupDriver.JsonAsync(approved)).GetProperty("status").GetString());
    }

    /// <summary>
    /// Storage stalls partway through an inbound text, after its MessageSid was claimed: the handling fails on the
    /// stall, and giving the sid back gets only a short try, so Twilio hears 503 within the budget, not after two.
    /// </summary>
    [Fact]
    public async Task AStallPartwayThroughAnInboundText_Answers503WithinOneBudget()
    {
        var bot = new BotDriver(Fixture);
        var (_, botPhone) = await bot.JoinAsync();
        using var client = Fixture.NewFaultClient();
        var phone = new BotPhone(client, Fixture.Twilio.AuthToken, BotDriver.PublicBaseUrl, ServiceFixture.FromNumber);
        // "1" chooses codes by text; the number turns out unable to take texts, and storage stalls as the code is withdrawn.
        Fixture.Twilio.Reject(botPhone, 21211);

        var answer = await StallOnSendAsync(botPhone, "twilio webhook", () => phone.PostSignedAsync(BotPhone.SmsPath, phone.Inbound(botPhone, "1")));

        TimedAnswer.Report(Output, [answer]);
        answer.AssertUnavailableWithin(FaultFixture.StorageBudget);
        // The give-back met the stall too, and was cut short by its deadline instead of running the SDK's retries.
        var gaveUp = Assert.Single(Fixture.Logs.Lines, l => l.Contains("a retry of it will be taken as handled", StringComparison.Ordinal));
        Assert.Matches("(OperationCanceled|TaskCanceled)Exception", gaveUp);
        Assert.DoesNotContain("Retry failed after", gaveUp, StringComparison.Ordinal);
    }

    /// <summary>Sends with <paramref name="send"/>; storage stalls when Twilio takes the text for <paramref name="to"/>, until the answer.</summary>
    private async Task<TimedAnswer> StallOnSendAsync(string to, string what, Func<Task<HttpResponseMessage>> send)
    {
        Fixture.Twilio.OnNextRequest(to, Fixture.Storage.Pause);
        try
        {
            return await TimedAnswer.Of(what, send);
        }
        finally
        {
            Fixture.Storage.Resume();
        }
    }
}

/// <summary>Storage goes down (its process stops; connections are refused) and comes back on the same port and data.</summary>
[Collection(StorageDownCollection.Name)]
public sealed class StorageDownTests(FaultFixture fixture, ITestOutputHelper output) : StorageFaultTests(fixture, output)
{
    protected override Task BreakAsync() => Fixture.StopStorageAsync();

    protected override Task HealAsync() => Fixture.StartStorageAsync();

    /// <summary>
    /// The table a start by text needs is created on first use; with storage down that creation fails, and it must
    /// be tried again once storage is back rather than remembered as failed.
    /// </summary>
    [Fact]
    public async Task StartByText_OnTablesNotYetCreated_WhileStorageIsDown_Is503_AndWorksOnceStorageIsBack()
    {
        await using var host = Fixture.NewHostWithFreshTables();
        using var client = host.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);

        await Fixture.StopStorageAsync();
        try
        {
            var down = await TimedAnswer.Of("start by text, storage down", () => client.PostAsJsonAsync("/api/enrollments", new { userId = SetupDriver.NewUserId() }));
            Output.WriteLine(down.ToString());
            down.AssertUnavailableWithin(FaultFixture.StorageBudget);
        }
        finally
        {
            await Fixture.StartStorageAsync();
        }

        var back = await TimedAnswer.Of("start by text, storage back", () => client.PostAsJsonAsync("/api/enrollments", new { userId = SetupDriver.NewUserId() }));
        Output.WriteLine(back.ToString());
        Assert.True(back.Status == HttpStatusCode.Accepted, back + " " + back.Body);
        Assert.Equal("awaiting-text", back.Json.GetProperty("status").GetString());
    }
}
