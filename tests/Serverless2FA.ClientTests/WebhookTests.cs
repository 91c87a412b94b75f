using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Serverless2FA.Client;
using Serverless2FA.Client.Webhooks;
using StandardWebhooks;

namespace Serverless2FA.ClientTests;

/// <summary>
/// Events signed as the service signs them (Standard Webhooks, by the StandardWebhooks package's own signer) are
/// verified and read as typed events; anything else is refused.
/// </summary>
public sealed class WebhookTests
{
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task ASignedEnrollmentCompleted_IsVerified_AndTyped()
    {
        var request = Signed("msg_1", """{"type":"enrollment.completed","timestamp":"2025-01-02T03:04:05.000Z","data":{"userId":"alice","enrollmentId":"enr_1","method":"sms","policy":"once-per-computer","replaced":true}}""");

        var verified = await new Serverless2FAWebhookVerifier(Secret).VerifyAsync(request);

        var completed = Assert.IsType<EnrollmentCompletedEvent>(verified);
        Assert.Equal("msg_1", completed.Id);
        Assert.Equal("alice", completed.UserId);
        Assert.Equal("enr_1", completed.EnrollmentId);
        Assert.Equal(TwoFactorMethod.Sms, completed.Method);
        Assert.Equal(TwoFactorPolicy.OncePerComputer, completed.Policy);
        Assert.True(completed.Replaced);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), completed.Timestamp);
    }

    [Theory]
    [InlineData("enrollment.expired", """{"userId":"a","enrollmentId":"enr_2"}""", typeof(EnrollmentExpiredEvent))]
    [InlineData("enrollment.failed", """{"userId":"a","enrollmentId":"enr_2","reason":"opted-out"}""", typeof(EnrollmentFailedEvent))]
    [InlineData("factor.locked", """{"userId":"a","until":null}""", typeof(FactorLockedEvent))]
    [InlineData("emergency-code.used", """{"userId":"a","emergencyCodesLeft":3}""", typeof(EmergencyCodeUsedEvent))]
    [InlineData("two-factor.disabled", """{"userId":"a"}""", typeof(TwoFactorDisabledEvent))]
    [InlineData("delivery.failed", """{"userId":"a","purpose":"login","errorCode":30003}""", typeof(DeliveryFailedEvent))]
    [InlineData("something.new", """{"userId":"a","more":1}""", typeof(UnknownEvent))]
    public async Task EachEventType_IsReadAsItsRecord(string type, string data, Type expected)
    {
        var request = Signed("msg_" + type, $$"""{"type":"{{type}}","timestamp":"2025-01-02T03:04:05Z","data":{{data}}}""");

        var verified = await new Serverless2FAWebhookVerifier(Secret).VerifyAsync(request);

        Assert.IsType(expected, verified);
        Assert.Equal("a", verified.UserId);
        Assert.Equal(type, verified.Type);
        switch (verified)
        {
            case EnrollmentFailedEvent failed:
                Assert.Equal("opted-out", failed.Reason);
                break;
            case FactorLockedEvent locked:
                Assert.Null(locked.Until);
                break;
            case EmergencyCodeUsedEvent used:
                Assert.Equal(3, used.EmergencyCodesLeft);
                break;
            case DeliveryFailedEvent delivery:
                Assert.Equal(30003, delivery.ErrorCode);
                break;
            case UnknownEvent unknown:
                Assert.Equal(1, unknown.Data.GetProperty("more").GetInt32());
                break;
        }
    }

    [Fact]
    public async Task AChangedBody_ADifferentSecret_AnOldTimestamp_OrNoSignature_AreRefused()
    {
        const string body = """{"type":"two-factor.disabled","timestamp":"2025-01-02T03:04:05Z","data":{"userId":"a"}}""";
        var verifier = new Serverless2FAWebhookVerifier(Secret);

        var changed = Signed("m", body);
        changed.Body = new MemoryStream(Encoding.UTF8.GetBytes(body.Replace("\"a\"", "\"b\"", StringComparison.Ordinal)));
        var otherSecret = Signed("m", body, "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var old = Signed("m", body, at: DateTimeOffset.UtcNow.AddMinutes(-10));
        var unsigned = Signed("m", body);
        unsigned.Headers.Remove("webhook-signature");

        foreach (var request in new[] { changed, otherSecret, old, unsigned })
        {
            await Assert.ThrowsAsync<Serverless2FAWebhookException>(() => verifier.VerifyAsync(request));
        }
    }

    [Fact]
    public async Task ABodyLargerThanAnEventCanBe_IsRefusedUnread()
    {
        var request = Signed("m", new string(' ', Serverless2FAWebhookVerifier.MaxBodyBytes + 1));

        await Assert.ThrowsAsync<Serverless2FAWebhookException>(() => new Serverless2FAWebhookVerifier(Secret).VerifyAsync(request));
    }

    [Fact]
    public async Task AVerifiedBodyThatIsNoEvent_IsRefused()
    {
        var request = Signed("m", """{"hello":"world"}""");

        await Assert.ThrowsAsync<Serverless2FAWebhookException>(() => new Serverless2FAWebhookVerifier(Secret).VerifyAsync(request));
    }

    /// <summary>A request as the service posts it, signed by the StandardWebhooks package (not by the code under test).</summary>

    private static HttpRequest Signed(string id, string body, string? secret = null, DateTimeOffset? at = null)
    {
        var when = at ?? DateTimeOffset.UtcNow;
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Request.Headers["webhook-id"] = id;
        context.Request.Headers["webhook-timestamp"] = when.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Request.Headers["webhook-signature"] = new StandardWebhook(secret ?? Secret).Sign(id, when, body);
        return context.Request;
    }
}
