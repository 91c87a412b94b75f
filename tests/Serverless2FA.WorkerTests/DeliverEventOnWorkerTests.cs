using System.Text.Json;
using Azure.Storage.Queues;
using Serverless2FA.Core.Events;
using Serverless2FA.Core.Options;
using Serverless2FA.WorkerHost;
using Serverless2FA.WorkerTests.Infrastructure;
using StandardWebhooks;

namespace Serverless2FA.WorkerTests;

/// <summary>
/// <c>DeliverEvent</c> in the real worker, invoked as the Functions host's queue trigger invokes it (the message as
/// SDK-type binding data, bound to <c>QueueMessage</c>).
/// </summary>
[Collection(WorkerCollection.Name)]
public sealed class DeliverEventOnWorkerTests(WorkerServiceFixture fixture)
{
    [Fact]
    public async Task QueueMessage_InvokedAsTheHostDeliversIt_ReachesTheReceiverSigned()
    {
        var message = WebhookEvents.EnrollmentCompleted(fixture.Clock.GetUtcNow(), "alice@example.com", "enr_1", "authenticator", "every-login", replaced: false);

        var run = await fixture.Host.InvokeAsync("DeliverEvent", AsQueued(message), CancellationToken.None);

        Assert.True(run.Succeeded, run.Error);
        var delivery = Assert.Single(fixture.Receiver.For(message.Id));
        // Signed at the worker's clock, which other suites of this collection move ahead: so the signature is checked
        // with the package at the header's timestamp, not against this machine's clock as Verify would.
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(delivery.Headers["webhook-timestamp"].ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new StandardWebhook(await SigningSecretAsync()).Sign(message.Id, signedAt, delivery.Body), delivery.Headers["webhook-signature"].ToString());
        Assert.Equal(message.Id, delivery.Headers["webhook-id"].ToString());
        Assert.Equal(message.Body(), delivery.Body);
    }

    [Fact]
    public async Task ReceiverFailing_TheWorkerQueuesTheNextTry_WithTheSameWebhookId_AfterApiMdsFirstDelay()
    {
        // At the worker's clock: Events:RetryFor counts from the event's timestamp.
        var message = WebhookEvents.TwoFactorDisabled(fixture.Clock.GetUtcNow(), "bob@example.com");
        fixture.Receiver.Plan(message.Id, 500);

        var run = await fixture.Host.InvokeAsync("DeliverEvent", AsQueued(message), CancellationToken.None);

        Assert.True(run.Succeeded, run.Error);
        Assert.Equal(500, Assert.Single(fixture.Receiver.For(message.Id)).AnsweredWith);
        var queue = new QueueClient(fixture.StorageConnectionString, new EventsOptions().Queue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        // Invisible for 5 s (RetrySchedule.Standard), then there with the next try's number.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        EventMessage? retry = null;
        while (retry is null)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "The retry never became visible on the events queue.");
            await Task.Delay(500);
            var visible = (await queue.PeekMessagesAsync(32)).Value;
            retry = visible.Select(m => EventMessage.Parse(m.MessageText, out _)).FirstOrDefault(m => m?.Id == message.Id);
        }

        Assert.Equal(2, retry.Attempt);
        Assert.Equal(message.Body(), retry.Body());
    }

    private static QueueMessageData AsQueued(EventMessage message)
        => new(Guid.NewGuid().ToString(), "pop-" + Guid.NewGuid().ToString("N"), message.ToJson(), DequeueCount: 1, DateTimeOffset.UtcNow);

    private async Task<string> SigningSecretAsync()
    {
        using var secrets = JsonDocument.Parse(await File.ReadAllTextAsync(fixture.SecretFile));
        return secrets.RootElement.GetProperty(Core.Secrets.SecretNames.EventsSigningSecret).GetString()!;
    }
}
