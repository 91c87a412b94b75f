using System.Net;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Verification;

[Collection(ServiceCollection.Name)]
public sealed class ManagementTests(ServiceFixture fixture)
{
    [Fact]
    public async Task RenewedEmergencyCodes_Work_AndTheOldOnesDoNot()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");

        using var renewed = await user.Client.PostAsync($"/api/users/{user.UserId}/two-factor/emergency-codes", null);
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var codes = (await SetupDriver.JsonAsync(renewed)).GetProperty("emergencyCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(5, codes.Count);
        Assert.Empty(codes.Intersect(user.EmergencyCodes));

        using var old = await user.CheckAsync(await user.StartVerificationAsync(), user.EmergencyCodes[0]);
        using var fresh = await user.CheckAsync(await user.StartVerificationAsync(), codes[0]);
        Assert.Equal("denied", (await SetupDriver.JsonAsync(old)).GetProperty("status").GetString());
        Assert.Equal("approved", (await SetupDriver.JsonAsync(fresh)).GetProperty("status").GetString());
        Assert.Equal(4, (await user.StatusAsync()).GetProperty("emergencyCodesLeft").GetInt32());
    }

    [Fact]
    public async Task EmergencyCodes_ForAUserNotEnrolled_Are404()
    {
        using var response = await fixture.NewClient().PostAsync($"/api/users/{SetupDriver.NewUserId()}/two-factor/emergency-codes", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Disable_TurnsTwoFactorOff_AndVoidsWhatWasPending()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator", "once-per-computer");
        var pending = await user.StartVerificationAsync();

        using var disabled = await user.Client.DeleteAsync($"/api/users/{user.UserId}/two-factor");
        using var unknown = await user.Client.DeleteAsync($"/api/users/{SetupDriver.NewUserId()}/two-factor");

        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, unknown.StatusCode);
        var status = await user.StatusAsync();
        Assert.False(status.GetProperty("enrolled").GetBoolean());
        using var start = await user.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
        using var check = await user.CheckAsync(pending, user.TotpCode());
        Assert.Equal(HttpStatusCode.Gone, check.StatusCode);
        Assert.Equal("disabled", (await user.AuditEventsAsync())[0]);
    }

    [Fact]
    public async Task ResetLock_LiftsALockout()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator");
        var id = await user.StartVerificationAsync();
        for (var i = 0; i < 5; i++)
        {
            (await user.CheckAsync(id, "000000")).Dispose();
        }

        using var locked = await user.StartAsync();
        Assert.Equal(HttpStatusCode.Locked, locked.StatusCode);

        using var reset = await user.Client.DeleteAsync($"/api/users/{user.UserId}/two-factor/lock");
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        using var approved = await user.CheckAsync(await user.StartVerificationAsync(), user.TotpCode());
        Assert.Equal("approved", (await SetupDriver.JsonAsync(approved)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Audit_IsNewestFirst_AndHoldsNoCodesOrPhone()
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "sms");
        var id = await user.StartVerificationAsync();
        var code = user.LastTextedCode();
        (await user.CheckAsync(id, "000000")).Dispose();
        (await user.CheckAsync(id, code)).Dispose();

        using var response = await user.Client.GetAsync($"/api/users/{user.UserId}/two-factor/audit");
        var raw = await response.Content.ReadAsStringAsync();
        var events = (await SetupDriver.JsonAsync(response)).GetProperty("events").EnumerateArray().ToList();

        Assert.Equal(["verified", "denied", "enrolled"], events.Select(e => e.GetProperty("event").GetString()));
        Assert.All(events, e => Assert.True(e.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.MinValue));
        Assert.Equal("sms", events[0].GetProperty("method").GetString());
        Assert.DoesNotContain(code, raw);
        Assert.DoesNotContain(user.Phone[2..], raw);
        Assert.DoesNotContain(user.Phone[^4..] + "\"", raw);
    }
}
