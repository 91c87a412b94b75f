using Serverless2FA.Client.Webhooks;
using Serverless2FA.Core.Events;
using Serverless2FA.IntegrationTests.Events;

namespace Serverless2FA.ClientTests;

/// <summary>
/// The two halves agree: every event type the service delivers (signed by its own events-signing-secret, through its
/// queue and DeliverEvent) is verified and read as its typed event by the client's verifier.
/// </summary>
[Collection(ServiceEventsCollection.Name)]
public sealed class ServiceEventsTests(EventsFixture service)
{
    public static TheoryData<string, Type> Types => new()
    {
        { EventTypes.EnrollmentCompleted, typeof(EnrollmentCompletedEvent) },
        { EventTypes.EnrollmentExpired, typeof(EnrollmentExpiredEvent) },
        { EventTypes.EnrollmentFailed, typeof(EnrollmentFailedEvent) },
        { EventTypes.FactorLocked, typeof(FactorLockedEvent) },
        { EventTypes.EmergencyCodeUsed, typeof(EmergencyCodeUsedEvent) },
        { EventTypes.TwoFactorDisabled, typeof(TwoFactorDisabledEvent) },
        { EventTypes.DeliveryFailed, typeof(DeliveryFailedEvent) },
    };

    [Theory]
    [MemberData(nameof(Types))]
    public async Task EventTheServiceDelivers_IsVerifiedAndTyped_ByTheClient(string type, Type expected)
    {
        var message = EventDeliveryTests.Sample(type, service.Clock.GetUtcNow());

        await service.Publisher.PublishAsync(message, default);

        await service.Receiver.WaitAsync(r => r.Any(x => x.Id == message.Id), EventsFixture.Patience, $"{type} to arrive");
        var delivery = Assert.Single(service.Receiver.For(message.Id));
        var read = new Serverless2FAWebhookVerifier(await service.SigningSecretAsync()).Verify(delivery.Body, delivery.Headers);
        Assert.IsType(expected, read);
        Assert.Equal(message.Id, read.Id);
        Assert.Equal("alice@example.com", read.UserId);
        Assert.Equal(message.Timestamp, read.Timestamp);
    }
}

[CollectionDefinition(Name)]
public sealed class ServiceEventsCollection : ICollectionFixture<EventsFixture>
{
    public const string Name = "Service events";
}
