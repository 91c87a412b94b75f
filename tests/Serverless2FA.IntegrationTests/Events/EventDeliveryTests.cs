using Serverless2FA.IntegrationTests.Infrastructure;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless2FA.Core.Events;
using Serverless2FA.IntegrationTests.Fakes;
using Serverless2FA.Local.Dev;
using StandardWebhooks;

namespace Serverless2FA.IntegrationTests.Events;

/// <summary>
/// Events reach a real receiver signed, once each, and survive a failing receiver and a stalled queue; an event the
/// receiver never accepts is parked, not dropped.
/// </summary>
[Collection(EventsCollection.Name)]
public sealed class EventDeliveryTests(EventsFixture fixture)
{
    private WebhookReceiverView Receiver => new(fixture);

    public static TheoryData<string> Types => [.. EventTypes.All];

    [Theory]
    [MemberData(nameof(Types))]
    public async Task EachEventType_ArrivesOnce_SignedAsStandardWebhooksVerifies_WithOnlyItsDataFields(string type)
    {
        var message = Sample(type, fixture.Clock.GetUtcNow());

        await fixture.Publisher.PublishAsync(message, default);

        var received = await fixture.Receiver.WaitAsync(r => r.Any(x => x.Id == message.Id), EventsFixture.Patience, $"{type} to arrive");
        var tries = fixture.Receiver.For(message.Id);
        var delivery = Assert.Single(tries);
        new StandardWebhook(await fixture.SigningSecretAsync()).Verify(delivery.Body, delivery.Headers);
        Assert.Matches("^v1,[A-Za-z0-9+/]+=*$", delivery.Headers["webhook-signature"].ToString());
        using var body = JsonDocument.Parse(delivery.Body);
        Assert.Equal(["type", "timestamp", "data"], body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(type, body.RootElement.GetProperty("type").GetString());
        Assert.Equal(ExpectedFields[type], body.RootElement.GetProperty("data").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("alice@example.com", body.RootElement.GetProperty("data").GetProperty("userId").GetString());
        Assert.DoesNotContain("+1", delivery.Body, StringComparison.Ordinal);
        Assert.True(received.Count >= 1);
    }

    [Fact]
    public async Task ReceiverFailingThreeTimes_GetsTheEventOnTheFourthTry_WithTheSameWebhookId()
    {
        var message = Sample(EventTypes.EnrollmentCompleted, fixture.Clock.GetUtcNow());
        fixture.Receiver.Plan(message.Id, 500, 500, 500);

        await fixture.Publisher.PublishAsync(message, default);

        var tries = await WaitForTries(message.Id, t => t.Any(x => x.AnsweredWith == 204), "the fourth try");
        Assert.Equal([500, 500, 500, 204], tries.Select(t => t.AnsweredWith));
        Assert.All(tries, t => Assert.Equal(message.Id, t.Headers["webhook-id"].ToString()));
        Assert.Single(tries.Select(t => t.Body).Distinct());
        var secret = await fixture.SigningSecretAsync();
        new StandardWebhook(secret).Verify(tries[^1].Body, tries[^1].Headers);
        Assert.Equal(EventStatus.Delivered, (await Receiver.ProgressAsync(message.Id, EventStatus.Delivered)).Status);
    }

    [Fact]
    public async Task ReceiverNeverAnswering2xx_IsParkedAfterRetryFor_WithAnErrorLogLine()
    {
        var message = Sample(EventTypes.FactorLocked, fixture.Clock.GetUtcNow());
        fixture.Receiver.Always(message.Id, 503);

        await fixture.Publisher.PublishAsync(message, default);
        await WaitForTries(message.Id, t => t.Count >= 2, "two failed tries");
        var shift = TimeSpan.FromDays(1);
        fixture.Clock.Advance(shift);
        try
        {
            var parked = await Receiver.ProgressAsync(message.Id, EventStatus.Parked);

            Assert.True(parked.Attempts >= 3);
            var poison = await fixture.Queues.PoisonQueueAsync(default);
            var waiting = (await poison.PeekMessagesAsync(32)).Value.Select(m => EventMessage.Parse(m.MessageText, out _)).ToList();
            var kept = Assert.Single(waiting, m => m?.Id == message.Id);
            Assert.Equal(message.Data.GetRawText(), kept!.Data.GetRawText());
            Assert.Contains(fixture.Logs.Lines, l => l.Contains(message.Id, StringComparison.Ordinal) && l.Contains("parked", StringComparison.Ordinal));
            var triesAtPark = fixture.Receiver.For(message.Id).Count;
            await Task.Delay(EventsFixture.RetryDelay * 3);
            Assert.Equal(triesAtPark, fixture.Receiver.For(message.Id).Count);
        }
        finally
        {
            fixture.Clock.Advance(-shift);
        }
    }

    [Fact]
    public async Task QueueServicePaused_EventWaitingForItsRetry_IsDeliveredAfterItResumes()
    {
        var message = Sample(EventTypes.EmergencyCodeUsed, fixture.Clock.GetUtcNow());
        fixture.Receiver.Plan(message.Id, 500);

        await fixture.Publisher.PublishAsync(message, default);
        await Receiver.ProgressAsync(message.Id, EventStatus.Retrying);
        fixture.Storage.PauseQueue();
        try
        {
            // Longer than the retry's delay and a poll, which now stalls and fails within its budget.
            await Task.Delay(EventsFixture.RetryDelay + EventsFixture.StorageBudget + TimeSpan.FromSeconds(1));
            Assert.Single(fixture.Receiver.For(message.Id));
        }
        finally
        {
            fixture.Storage.ResumeQueue();
        }

        var tries = await WaitForTries(message.Id, t => t.Any(x => x.AnsweredWith == 204), "the try after the queue resumed");
        Assert.Equal([500, 204], tries.Select(t => t.AnsweredWith));
    }

    [Fact]
    public async Task FiftyParallelEvents_ArriveFiftyTimes_NoneLostOrDoubled()
    {
        var messages = Enumerable.Range(0, 50).Select(_ => Sample(EventTypes.TwoFactorDisabled, fixture.Clock.GetUtcNow())).ToList();

        await Task.WhenAll(messages.Select(m => fixture.Publisher.PublishAsync(m, default)));

        var ids = messages.Select(m => m.Id).ToHashSet();
        await fixture.Receiver.WaitAsync(r => ids.All(id => r.Any(x => x.Id == id)), EventsFixture.Patience, "fifty events");
        // A little longer: a doubled delivery would show up now.
        await Task.Delay(EventsFixture.RetryDelay * 2);
        Assert.Equal(50, fixture.Receiver.Received.Where(r => ids.Contains(r.Id)).Select(r => r.Id).Distinct().Count());
        // At least once: a copy can come only from the queue client's own retry of an enqueue whose answer was lost
        // (at most RetryBudget.MaxRetries more), never from the trigger, which deletes what it delivered.
        Assert.All(ids, id => Assert.InRange(fixture.Receiver.For(id).Count, 1, Serverless2FA.Core.Options.RetryBudget.MaxRetries + 1));
    }

    [Fact]
    public async Task DevEvents_ListsEachEventWithItsStatus()
    {
        var message = Sample(EventTypes.EnrollmentExpired, fixture.Clock.GetUtcNow());
        await fixture.Publisher.PublishAsync(message, default);
        await Receiver.ProgressAsync(message.Id, EventStatus.Delivered);

        using var listed = JsonDocument.Parse(await fixture.NewClient().GetStringAsync("dev/events"));

        Assert.Equal(fixture.Receiver.Url.ToString(), listed.RootElement.GetProperty("webhookUrl").GetString());
        var entry = listed.RootElement.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("id").GetString() == message.Id);
        Assert.Equal("delivered", entry.GetProperty("status").GetString());
        Assert.Equal(EventTypes.EnrollmentExpired, entry.GetProperty("type").GetString());
        Assert.Equal(1, entry.GetProperty("attempts").GetInt32());
        Assert.Equal(204, entry.GetProperty("lastStatusCode").GetInt32());
    }

    [Fact]
    public async Task AdminRun_OfDeliverEvent_DeliversTheGivenMessage()
    {
        var message = Sample(EventTypes.DeliveryFailed, fixture.Clock.GetUtcNow());

        using var response = await fixture.NewClient().PostAsJsonAsync("admin/functions/DeliverEvent", new { input = message.ToJson() });

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        await WaitForTries(message.Id, t => t.Count == 1, "the admin-run delivery");
    }

    private Task<IReadOnlyList<ReceivedWebhook>> WaitForTries(string id, Func<IReadOnlyList<ReceivedWebhook>, bool> done, string what)
        => fixture.Receiver.WaitAsync(_ => done(fixture.Receiver.For(id)), EventsFixture.Patience, what)
            .ContinueWith(_ => fixture.Receiver.For(id), TaskScheduler.Default);

    public static EventMessage Sample(string type, DateTimeOffset at) => type switch
    {
        EventTypes.EnrollmentCompleted => WebhookEvents.EnrollmentCompleted(at, "alice@example.com", "enr_1", "sms", "every-login", replaced: false),
        EventTypes.EnrollmentExpired => WebhookEvents.EnrollmentExpired(at, "alice@example.com", "enr_1"),
        EventTypes.EnrollmentFailed => WebhookEvents.EnrollmentFailed(at, "alice@example.com", "enr_1", "undeliverable"),
        EventTypes.FactorLocked => WebhookEvents.FactorLocked(at, "alice@example.com", null),
        EventTypes.EmergencyCodeUsed => WebhookEvents.EmergencyCodeUsed(at, "alice@example.com", 9),
        EventTypes.TwoFactorDisabled => WebhookEvents.TwoFactorDisabled(at, "alice@example.com"),
        EventTypes.DeliveryFailed => WebhookEvents.DeliveryFailed(at, "alice@example.com", "login", 30003),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static readonly Dictionary<string, string[]> ExpectedFields = new()
    {
        [EventTypes.EnrollmentCompleted] = ["enrollmentId", "method", "policy", "replaced", "userId"],
        [EventTypes.EnrollmentExpired] = ["enrollmentId", "userId"],
        [EventTypes.EnrollmentFailed] = ["enrollmentId", "reason", "userId"],
        [EventTypes.FactorLocked] = ["until", "userId"],
        [EventTypes.EmergencyCodeUsed] = ["emergencyCodesLeft", "userId"],
        [EventTypes.TwoFactorDisabled] = ["userId"],
        [EventTypes.DeliveryFailed] = ["errorCode", "purpose", "userId"],
    };

    /// <summary>Where an event stands, as the local host's dev/events log has it.</summary>
    private sealed class WebhookReceiverView(EventsFixture fixture)
    {
        public async Task<EventProgress> ProgressAsync(string id, EventStatus status)
        {
            var log = fixture.Factory.Services.GetRequiredService<DevEventLog>();
            var progress = await Poll.UntilAsync(
                () => log.List().FirstOrDefault(p => p.Event.Id == id),
                p => p?.Status == status,
                EventsFixture.Patience,
                p => $"Event {id} did not become {status}; it is {p?.Status.ToString() ?? "unknown"}.");
            return progress!;
        }
    }
}
