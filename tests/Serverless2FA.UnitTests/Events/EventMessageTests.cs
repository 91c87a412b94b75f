using System.Text.Json;
using Serverless2FA.Core.Events;

namespace Serverless2FA.UnitTests.Events;

public sealed class EventMessageTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public void Body_IsTypeTimestampAndData_InUtc_TheSameOnEveryTry()
    {
        var message = WebhookEvents.FactorLocked(At, "alice", until: null);

        var body = message.Body();

        Assert.Equal("""{"type":"factor.locked","timestamp":"2026-03-01T10:00:00Z","data":{"userId":"alice","until":null}}""", body);
        Assert.Equal(body, message.NextAttempt().NextAttempt().Body());
        Assert.Equal(message.Id, message.NextAttempt().Id);
        Assert.Equal(3, message.NextAttempt().NextAttempt().Attempt);
    }

    [Fact]
    public void QueueText_RoundTrips()
    {
        var message = WebhookEvents.EnrollmentCompleted(At, "alice", "enr_1", "authenticator", "once-per-computer", replaced: true).NextAttempt();

        var read = EventMessage.Parse(message.ToJson(), out var problem);

        Assert.Null(problem);
        Assert.Equal(message.Id, read!.Id);
        Assert.Equal(message.Attempt, read.Attempt);
        Assert.Equal(message.Body(), read.Body());
        Assert.Matches("^evt_[0-9a-f]{32}$", read.Id);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"id":"evt_1","type":"user.created","timestamp":"2026-01-01T00:00:00Z","data":{},"attempt":1}""")]
    [InlineData("""{"id":"","type":"two-factor.disabled","timestamp":"2026-01-01T00:00:00Z","data":{},"attempt":1}""")]
    [InlineData("""{"id":"evt_1","type":"two-factor.disabled","timestamp":"2026-01-01T00:00:00Z","data":"x","attempt":1}""")]
    [InlineData("""{"id":"evt_1","type":"two-factor.disabled","timestamp":"2026-01-01T00:00:00Z","data":{},"attempt":0}""")]
    public void SomethingThisServiceDidNotWrite_IsRefused_WithAReason(string text)
    {
        Assert.Null(EventMessage.Parse(text, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public void EveryType_HasExactlyItsApiMdFields()
    {
        var fields = new Dictionary<string, EventMessage>
        {
            ["enrollmentId,method,policy,replaced,userId"] = WebhookEvents.EnrollmentCompleted(At, "u", "e", "sms", "every-login", false),
            ["enrollmentId,userId"] = WebhookEvents.EnrollmentExpired(At, "u", "e"),
            ["enrollmentId,reason,userId"] = WebhookEvents.EnrollmentFailed(At, "u", "e", "opted-out"),
            ["until,userId"] = WebhookEvents.FactorLocked(At, "u", At),
            ["emergencyCodesLeft,userId"] = WebhookEvents.EmergencyCodeUsed(At, "u", 3),
            ["userId"] = WebhookEvents.TwoFactorDisabled(At, "u"),
            ["errorCode,purpose,userId"] = WebhookEvents.DeliveryFailed(At, "u", "login", 30003),
        };

        foreach (var (expected, message) in fields)
        {
            Assert.Equal(expected, string.Join(",", message.Data.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)));
            Assert.Contains(message.Type, EventTypes.All);
        }

        Assert.Equal(EventTypes.All.Count, fields.Values.Select(m => m.Type).Distinct().Count());
        Assert.Equal(JsonValueKind.String, WebhookEvents.FactorLocked(At, "u", At).Data.GetProperty("until").ValueKind);
    }
}
