using System.Net;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Lifecycle;

/// <summary>The service with <c>Notices:Enabled=false</c>: the changes a notice would report still happen.</summary>
public sealed class NoticesOffFixture : ServiceFixture
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Notices:Enabled"] = "false";
        return settings;
    }
}

[CollectionDefinition(Name)]
public sealed class NoticesOffCollection : ICollectionFixture<NoticesOffFixture>
{
    public const string Name = "NoticesOff";
}

/// <summary>
/// With notices turned off, nothing is texted for an emergency code used, new emergency codes or two-factor turned
/// off, and nothing is audited as skipped: the operator chose silence, no notice failed.
/// </summary>
[Collection(NoticesOffCollection.Name)]
public sealed class NoticesOffTests(NoticesOffFixture fixture)
{
    [Fact]
    public async Task NoChange_TextsTheEnrolledPhone_OrRecordsASkippedNotice()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var before = fixture.Twilio.MessagesTo(user.Phone).Count;
        var verificationId = await user.StartVerificationAsync();

        using var approved = await user.CheckAsync(verificationId, user.EmergencyCodes[0]);
        using var renewed = await user.Client.PostAsync($"/api/users/{user.UserId}/two-factor/emergency-codes", null);
        var audit = await Lifecycle.AuditAsync(user);
        using var disabled = await user.Client.DeleteAsync($"/api/users/{user.UserId}/two-factor");

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        Assert.Empty(fixture.Twilio.MessagesTo(user.Phone).Skip(before));
        Assert.Contains(audit, e => e.Event == "emergency-codes-renewed");
        Assert.DoesNotContain(audit, e => e.Event == "notice-skipped");
    }
}
