using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Serverless2FA.Client;
using Serverless2FA.Client.Webhooks;
using Serverless2FA.ClientTests.Infrastructure;
using Serverless2FA.Core.Events;
using Serverless2FA.IntegrationTests.Events;
using Serverless2FA.IntegrationTests.Fakes;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.ClientTests;

/// <summary>
/// The two halves agree: every event type the service delivers (signed by its own events-signing-secret, through its
/// queue and DeliverEvent) is verified and read as its typed event by the client's verifier, with a member for each of
/// its <c>data</c> fields and nothing else; and the events real changes make, through the client, arrive so.
/// </summary>
[Collection(ServiceEventsCollection.Name)]
public sealed class ServiceEventsTests(EventsFixture service)
{
    private static readonly JsonSerializerOptions ApiJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

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

    [Fact]
    public void EveryEventTypeTheServiceSends_HasATypedRecord()
        => Assert.Equal(EventTypes.All.Order(), Types.Select(row => (string)row[0]).Order());

    [Theory]
    [MemberData(nameof(Types))]
    public async Task EventTheServiceDelivers_IsVerifiedAndTyped_WithAMemberForEachDataField(string type, Type expected)
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
        AssertTypedAsSent(read);
    }

    [Fact]
    public async Task RealChangesMadeThroughTheClient_ArriveAsTheirTypedEvents()
    {
        using var provider = ClientFixture.Register(new CapturingLoggerProvider(), new Uri("http://localhost/"), service.Factory.Server.CreateHandler);
        var client = provider.GetRequiredService<IServerless2FAClient>();
        var user = await EnrolledUser.EnrollAsync(service, "sms", "once-per-computer");
        var start = Assert.IsType<VerificationStart.Required>(await client.StartVerificationAsync(user.UserId));
        var approved = Assert.IsType<VerificationCheck.Approved>(await client.CheckVerificationAsync(start.VerificationId, user.UserId, user.EmergencyCodes[0]));
        await client.DisableTwoFactorAsync(user.UserId);
        var locked = await EnrolledUser.EnrollAsync(service, "authenticator");
        var login = Assert.IsType<VerificationStart.Required>(await client.StartVerificationAsync(locked.UserId));
        var wrong = Enumerable.Range(0, 3).Select(d => new string((char)('0' + d), 6)).First(c => c != locked.TotpCode(-1) && c != locked.TotpCode(0) && c != locked.TotpCode(1));
        VerificationCheck check;
        do
        {
            check = await client.CheckVerificationAsync(login.VerificationId, locked.UserId, wrong);
        }
        while (check is VerificationCheck.Denied);

        var events = await ReceivedAsync(user.UserId, 3);
        var completed = Assert.IsType<EnrollmentCompletedEvent>(Assert.Single(events, e => e.Type == EventTypes.EnrollmentCompleted));
        Assert.Equal(TwoFactorMethod.Sms, completed.Method);
        Assert.Equal(TwoFactorPolicy.OncePerComputer, completed.Policy);
        Assert.False(completed.Replaced);
        Assert.StartsWith("enr_", completed.EnrollmentId, StringComparison.Ordinal);
        var used = Assert.IsType<EmergencyCodeUsedEvent>(Assert.Single(events, e => e.Type == EventTypes.EmergencyCodeUsed));
        Assert.Equal(approved.EmergencyCodesLeft, used.EmergencyCodesLeft);
        Assert.IsType<TwoFactorDisabledEvent>(Assert.Single(events, e => e.Type == EventTypes.TwoFactorDisabled));
        Assert.All(events, AssertTypedAsSent);

        Assert.IsType<VerificationCheck.Locked>(check);
        var lockedEvent = Assert.IsType<FactorLockedEvent>(Assert.Single(await ReceivedAsync(locked.UserId, 2), e => e.Type == EventTypes.FactorLocked));
        Assert.True(lockedEvent.Until > lockedEvent.Timestamp, "A lock after wrong codes ends later; null is only for a hard lock.");
    }

    [Fact]
    public async Task AFactorReplacedWithAStepUpThroughTheClient_IsAnEnrollmentCompletedThatSaysReplaced()
    {
        using var provider = ClientFixture.Register(new CapturingLoggerProvider(), new Uri("http://localhost/"), service.Factory.Server.CreateHandler);
        var client = provider.GetRequiredService<IServerless2FAClient>();
        var user = await EnrolledUser.EnrollAsync(service, "authenticator");
        var start = Assert.IsType<VerificationStart.Required>(await client.StartVerificationAsync(user.UserId));
        var stepUp = Assert.IsType<VerificationCheck.Approved>(await client.CheckVerificationAsync(start.VerificationId, user.UserId, user.TotpCode()));

        await EnrolledUser.EnrollAsync(service, "sms", "once-per-computer", user.UserId, stepUp.VerificationId);

        var completions = (await ReceivedAsync(user.UserId, 2)).Cast<EnrollmentCompletedEvent>().OrderBy(e => e.Timestamp).ToList();
        Assert.Equal([(TwoFactorMethod.Authenticator, false), (TwoFactorMethod.Sms, true)], completions.Select(e => (e.Method, e.Replaced)));
        Assert.NotEqual(completions[0].EnrollmentId, completions[1].EnrollmentId);
        Assert.All(completions, AssertTypedAsSent);
    }

    /// <summary>Each member the record declares holds its <c>data</c> field as sent, and every field but userId has one.</summary>
    private static void AssertTypedAsSent(Serverless2FAEvent read)
    {
        var members = read.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
        var fields = read.Data.EnumerateObject().Select(f => f.Name).Where(n => n != "userId").Order();
        Assert.Equal(fields, members.Select(m => JsonNamingPolicy.CamelCase.ConvertName(m.Name)).Order());
        foreach (var member in members)
        {
            var value = member.GetValue(read);
            var sent = read.Data.GetProperty(JsonNamingPolicy.CamelCase.ConvertName(member.Name));
            if (value is DateTimeOffset at)
            {
                // The same instant, however many fraction digits or which offset the text used.
                Assert.Equal(sent.GetDateTimeOffset(), at);
                continue;
            }

            var typed = JsonSerializer.SerializeToElement(value, member.PropertyType, ApiJson);
            Assert.True(JsonElement.DeepEquals(sent, typed), $"{read.Type} {member.Name}: sent {sent.GetRawText()}, read {typed.GetRawText()}");
        }
    }

    /// <summary>Waits for <paramref name="count"/> deliveries about <paramref name="userId"/> and reads each with the client's verifier.</summary>
    private async Task<IReadOnlyList<Serverless2FAEvent>> ReceivedAsync(string userId, int count)
    {
        var about = $"\"userId\":\"{userId}\"";
        var received = await service.Receiver.WaitAsync(
            r => r.Where(x => x.Body.Contains(about, StringComparison.Ordinal)).Select(x => x.Id).Distinct().Count() >= count,
            EventsFixture.Patience,
            $"{count} events about {userId}");
        var verifier = new Serverless2FAWebhookVerifier(await service.SigningSecretAsync());
        return [.. received.Where(x => x.Body.Contains(about, StringComparison.Ordinal)).DistinctBy(x => x.Id).Select(x => verifier.Verify(x.Body, x.Headers))];
    }
}

[CollectionDefinition(Name)]
public sealed class ServiceEventsCollection : ICollectionFixture<EventsFixture>
{
    public const string Name = "Service events";
}
