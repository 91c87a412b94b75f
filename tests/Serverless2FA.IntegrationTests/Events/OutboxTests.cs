using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless2FA.Core.Crypto;
using Serverless2FA.Core.Events;
using Serverless2FA.Core.Expiry;
using Serverless2FA.Core.Storage;
using Serverless2FA.IntegrationTests.Fakes;
using Serverless2FA.IntegrationTests.Infrastructure;
using StandardWebhooks;

namespace Serverless2FA.IntegrationTests.Events;

/// <summary>
/// The outbox end to end: each change's event is written with the change, queued after it, and reaches a real
/// receiver once, signed; an enqueue that really fails (the queue unreachable, or paused) loses nothing, because the
/// sweep queues the row again; parallel changes each get their one event.
/// </summary>
[Collection(EventsCollection.Name)]
public sealed class OutboxTests(EventsFixture fixture)
{
    [Fact]
    public async Task EnrollmentCompleted_ArrivesOnce_Signed_AndSaysWhetherItReplacedAFactor()
    {
        var first = await EnrolledUser.EnrollAsync(fixture, "authenticator", "once-per-computer");
        var completed = await OneAsync(EventTypes.EnrollmentCompleted, first.UserId);
        AssertNothingSecret(completed, first);
        var data = Data(completed);
        Assert.Equal("authenticator", data.GetProperty("method").GetString());
        Assert.Equal("once-per-computer", data.GetProperty("policy").GetString());
        Assert.StartsWith("enr_", data.GetProperty("enrollmentId").GetString(), StringComparison.Ordinal);
        Assert.False(data.GetProperty("replaced").GetBoolean());

        var again = await EnrolledUser.EnrollAsync(fixture, "sms", userId: first.UserId, stepUp: await first.StepUpAsync());

        var replaced = await OneAsync(EventTypes.EnrollmentCompleted, first.UserId, d => d.GetProperty("replaced").GetBoolean());
        AssertNothingSecret(replaced, again);
        Assert.Equal("sms", Data(replaced).GetProperty("method").GetString());
    }

    [Fact]
    public async Task EmergencyCodeUsed_ArrivesOnce_WithTheCodesLeft()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var verificationId = await user.StartVerificationAsync();

        using var checkedCode = await user.CheckAsync(verificationId, user.EmergencyCodes[0]);

        Assert.Equal(HttpStatusCode.OK, checkedCode.StatusCode);
        var used = await OneAsync(EventTypes.EmergencyCodeUsed, user.UserId);
        Assert.Equal(user.EmergencyCodes.Count - 1, Data(used).GetProperty("emergencyCodesLeft").GetInt32());
        AssertNothingSecret(used, user);
    }

    [Fact]
    public async Task FactorLocked_ArrivesOnce_WhenTheWrongCodeThatLocksItIsCounted()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var verificationId = await user.StartVerificationAsync();
        HttpStatusCode last;
        var tries = 0;
        do
        {
            using var wrong = await user.CheckAsync(verificationId, "000000");
            last = wrong.StatusCode;
            tries++;
        }
        while (last != HttpStatusCode.Locked && tries < 10);

        Assert.Equal(HttpStatusCode.Locked, last);
        var locked = await OneAsync(EventTypes.FactorLocked, user.UserId);
        Assert.True(Data(locked).GetProperty("until").GetDateTime() > fixture.Clock.GetUtcNow().UtcDateTime);
        AssertNothingSecret(locked, user);
    }

    [Fact]
    public async Task TwoFactorDisabled_ArrivesOnce()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");

        using var off = await user.Client.DeleteAsync($"/api/users/{user.UserId}/two-factor");

        Assert.Equal(HttpStatusCode.NoContent, off.StatusCode);
        AssertNothingSecret(await OneAsync(EventTypes.TwoFactorDisabled, user.UserId), user);
    }

    [Fact]
    public async Task DeliveryFailed_ArrivesOnce_ThoughTwilioReportsTheFailureTwice()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        await user.StartVerificationAsync();
        var sid = fixture.Twilio.MessagesTo(user.Phone)[^1].Sid;
        var phone = new BotPhone(fixture.NewClient(), fixture.Twilio.AuthToken, "http://localhost:7071", ServiceFixture.FromNumber);
        var report = new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = "undelivered", ["ErrorCode"] = "30005" };

        using (var once = await phone.PostSignedAsync(BotPhone.StatusPath, report))
        using (var twice = await phone.PostSignedAsync(BotPhone.StatusPath, report))
        {
            Assert.Equal(HttpStatusCode.NoContent, twice.StatusCode);
        }

        var failed = await OneAsync(EventTypes.DeliveryFailed, user.UserId);
        Assert.Equal("login", Data(failed).GetProperty("purpose").GetString());
        Assert.Equal(30005, Data(failed).GetProperty("errorCode").GetInt32());
        AssertNothingSecret(failed, user);
    }

    [Fact]
    public async Task EnrollmentFailed_ArrivesOnce_WhenTheNumberOptedOut()
    {
        var driver = new SetupDriver(fixture);
        var (userId, phone) = (SetupDriver.NewUserId(), SetupDriver.NewPhone());
        fixture.Twilio.Reject(phone, 21610);

        using var refused = await driver.StartAsync(new { userId, phone });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var failed = await OneAsync(EventTypes.EnrollmentFailed, userId);
        Assert.Equal("opted-out", Data(failed).GetProperty("reason").GetString());
        Assert.DoesNotContain(phone[2..], failed.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnrollmentExpired_ArrivesOnce_WhenTheSweepExpiresIt()
    {
        var driver = new SetupDriver(fixture);
        var (userId, phone) = (SetupDriver.NewUserId(), SetupDriver.NewPhone());
        using (var started = await driver.StartAsync(new { userId, phone }))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        // The sweep's handler at a time past the link's, rather than the sweep with the shared clock moved 16 minutes
        // on: its cursor would then stay ahead of the clock, and the other tests' entries would never be read.
        var userKey = await fixture.Factory.Services.GetRequiredService<UserKeys>().ForUserAsync(userId, default);
        var handler = fixture.Factory.Services.GetServices<IExpiryHandler>().Single(h => h.Kind == ExpiryKinds.Enrollment);
        var entry = new ExpiryEntry { Kind = ExpiryKinds.Enrollment, Table = Tables.Users, TargetPartitionKey = userKey, TargetRowKey = EnrollmentEntity.Row };
        Assert.Equal(ExpiryOutcome.Expired, await handler.ExpireAsync(entry, fixture.Clock.GetUtcNow() + TimeSpan.FromMinutes(16), default));

        var expired = await OneAsync(EventTypes.EnrollmentExpired, userId);
        Assert.DoesNotContain(phone[2..], expired.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiverFailingThreeTimes_GetsTheChangesEventOnTheFourthTry_WithTheSameWebhookId()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        fixture.Receiver.PlanWhere(body => body.Contains(user.UserId, StringComparison.Ordinal) && body.Contains(EventTypes.TwoFactorDisabled, StringComparison.Ordinal), 500, 500, 500);

        using var off = await user.Client.DeleteAsync($"/api/users/{user.UserId}/two-factor");

        var tries = await fixture.Receiver.WaitAsync(
            r => Matching(r, EventTypes.TwoFactorDisabled, user.UserId).Any(x => x.AnsweredWith == 204), EventsFixture.Patience, "the fourth try");
        var mine = Matching(tries, EventTypes.TwoFactorDisabled, user.UserId);
        Assert.Equal([500, 500, 500, 204], mine.Select(t => t.AnsweredWith));
        Assert.Single(mine.Select(t => t.Id).Distinct());
        Assert.Single(mine.Select(t => t.Body).Distinct());
        var secret = new StandardWebhook(await fixture.SigningSecretAsync());
        Assert.All(mine, t => secret.Verify(t.Body, t.Headers));
        await AssertRowAsync(mine[0].Id, EventStates.Delivered, attempts: 4);
    }

    [Fact]
    public async Task EnqueueFailingAfterTheCommit_LosesNothing_TheSweepQueuesTheEventAgain()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        await OneAsync(EventTypes.EnrollmentCompleted, user.UserId);
        await using var crippled = fixture.NewHostWithUnreachableQueue();
        using var crippledClient = crippled.CreateClient();

        using var off = await crippledClient.DeleteAsync($"/api/users/{user.UserId}/two-factor");

        // The change is made and answered; its event is committed, not queued.
        Assert.Equal(HttpStatusCode.NoContent, off.StatusCode);
        Assert.Contains(fixture.Logs.Lines, l => l.Contains("could not be queued", StringComparison.Ordinal));
        var pending = Assert.Single(await ListAsync(), e => e.Event.Type == EventTypes.TwoFactorDisabled && UserOf(e.Event) == user.UserId);
        Assert.Equal(EventStates.Pending, pending.Status);
        Assert.Empty(Matching(fixture.Receiver.Received, EventTypes.TwoFactorDisabled, user.UserId));

        await WithClockAheadAsync(EventStates.RequeueAfter + TimeSpan.FromMinutes(1), () => SweepAsync());

        var delivered = await OneAsync(EventTypes.TwoFactorDisabled, user.UserId);
        Assert.Equal(pending.Event.Id, delivered.Id);
    }

    [Fact]
    public async Task QueuePausedDuringTheChange_TheEventIsDeliveredOnceAfterItResumes()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        await OneAsync(EventTypes.EnrollmentCompleted, user.UserId);

        fixture.Storage.PauseQueue();
        try
        {
            using var off = await user.Client.DeleteAsync($"/api/users/{user.UserId}/two-factor");
            Assert.Equal(HttpStatusCode.NoContent, off.StatusCode);
        }
        finally
        {
            fixture.Storage.ResumeQueue();
        }

        // The stalled enqueue may still land once the queue answers (Azurite reads the request it held), and is then
        // delivered within a poll or two; if it did not land, the sweep's turn comes, minutes later in real life.
        var row = Assert.Single(await ListAsync(), e => e.Event.Type == EventTypes.TwoFactorDisabled && UserOf(e.Event) == user.UserId);
        await Poll.AtMostAsync(() => Matching(fixture.Receiver.Received, EventTypes.TwoFactorDisabled, user.UserId).Count > 0, TimeSpan.FromSeconds(5));

        await WithClockAheadAsync(EventStates.RequeueAfter + TimeSpan.FromMinutes(1), () => SweepAsync());

        var delivered = await OneAsync(EventTypes.TwoFactorDisabled, user.UserId);
        Assert.Equal(row.Event.Id, delivered.Id);
    }

    [Fact]
    public async Task FiftyParallelChanges_FiftyEvents_NoneLostOrDoubled()
    {
        var users = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => SeedEnrolledAsync()));
        using var client = fixture.NewClient();

        var answers = await Task.WhenAll(users.Select(u => client.DeleteAsync($"/api/users/{u}/two-factor")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NoContent, a.StatusCode));
        var received = await fixture.Receiver.WaitAsync(
            r => users.All(u => Matching(r, EventTypes.TwoFactorDisabled, u).Count > 0), EventsFixture.Patience, "fifty events");
        await Task.Delay(EventsFixture.RetryDelay * 2);
        foreach (var u in users)
        {
            var mine = Matching(fixture.Receiver.Received, EventTypes.TwoFactorDisabled, u);
            Assert.Single(mine.Select(m => m.Id).Distinct());
            // At least once: a copy only from the queue client's own retry of an enqueue whose answer was lost.
            Assert.InRange(mine.Count, 1, Serverless2FA.Core.Options.RetryBudget.MaxRetries + 1);
        }
    }

    /// <summary>The one event of <paramref name="type"/> about <paramref name="userId"/> (that <paramref name="where"/> holds for), signed; fails on a second.</summary>
    private async Task<ReceivedWebhook> OneAsync(string type, string userId, Func<JsonElement, bool>? where = null)
    {
        bool Mine(ReceivedWebhook r) => where is null || where(Data(r));
        await fixture.Receiver.WaitAsync(r => Matching(r, type, userId).Any(x => Mine(x) && x.AnsweredWith is >= 200 and < 300), EventsFixture.Patience, $"{type} for {userId}");
        // A little longer: a second event for the same change would show up now.
        await Task.Delay(EventsFixture.RetryDelay * 2);
        var mine = Matching(fixture.Receiver.Received, type, userId).Where(Mine).ToList();
        var delivered = Assert.Single(mine);
        new StandardWebhook(await fixture.SigningSecretAsync()).Verify(delivered.Body, delivered.Headers);
        return delivered;
    }

    private static List<ReceivedWebhook> Matching(IEnumerable<ReceivedWebhook> received, string type, string userId)
        => [.. received.Where(r =>
        {
            using var body = JsonDocument.Parse(r.Body);
            return body.RootElement.GetProperty("type").GetString() == type
                && body.RootElement.GetProperty("data").GetProperty("userId").GetString() == userId;
        })];

    private static JsonElement Data(ReceivedWebhook received)
    {
        using var body = JsonDocument.Parse(received.Body);
        return body.RootElement.GetProperty("data").Clone();
    }

    private static string? UserOf(EventMessage message) => message.Data.GetProperty("userId").GetString();

    /// <summary>No phone number, code, seed or token: the event holds only its typed fields.</summary>
    private static void AssertNothingSecret(ReceivedWebhook received, EnrolledUser user)
    {
        Assert.DoesNotContain(user.Phone[2..], received.Body, StringComparison.Ordinal);
        Assert.All(user.EmergencyCodes, c => Assert.DoesNotContain(c, received.Body, StringComparison.Ordinal));
        if (user.Secret is not null)
        {
            Assert.DoesNotContain(user.Secret, received.Body, StringComparison.Ordinal);
        }

        Assert.DoesNotMatch("\"[0-9]{6}\"", received.Body);
    }

    private Task<IReadOnlyList<OutboxEvent>> ListAsync()
        => fixture.Factory.Services.GetRequiredService<OutboxRows>().ListAsync(1000, default);

    private async Task AssertRowAsync(string eventId, string status, int attempts)
    {
        var row = await Poll.UntilAsync(
            async () => (await ListAsync()).SingleOrDefault(e => e.Event.Id == eventId),
            r => r?.Status == status,
            EventsFixture.Patience,
            r => $"Event {eventId} is {r?.Status ?? "gone"}, not {status}.");
        Assert.Equal(attempts, row!.Event.Attempt);
    }

    private Task<SweepReport> SweepAsync() => fixture.Factory.Services.GetRequiredService<ExpirySweep>().RunAsync(default);

    private async Task WithClockAheadAsync(TimeSpan shift, Func<Task> run)
    {
        fixture.Clock.Advance(shift);
        try
        {
            await run();
        }
        finally
        {
            fixture.Clock.Advance(-shift);
        }
    }

    /// <summary>A user with an enrolled factor, written straight to storage: fifty real enrollments would only slow the test.</summary>
    private async Task<string> SeedEnrolledAsync()
    {
        var services = fixture.Factory.Services;
        var keys = services.GetRequiredService<UserKeys>();
        var userId = SetupDriver.NewUserId();
        var userKey = await keys.ForUserAsync(userId, default);
        var profile = new UserProfileEntity
        {
            PartitionKey = userKey,
            Enrolled = true,
            Method = "authenticator",
            Policy = "every-login",
            UserIdCipher = await keys.EncryptIdAsync(userId, userKey, default),
        };
        await services.GetRequiredService<Optimistic>().CommitAsync(new Changes(Tables.Users).Upsert(profile), default);
        return userId;
    }
}
