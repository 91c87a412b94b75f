using System.Net;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Enrollment;

/// <summary>A user who enrolls again (new phone, new app, with a step-up) gets the new factor whole; nothing of the old one works.</summary>
[Collection(ServiceCollection.Name)]
public sealed class ReEnrollmentTests(ServiceFixture fixture)
{
    [Fact]
    public async Task EnrollingAgain_ReplacesTheFactor_CodesAndRememberedComputers()
    {
        var first = await EnrolledUser.EnrollAsync(fixture, "authenticator", "once-per-computer");
        var verificationId = await first.StartVerificationAsync();
        using var remembered = await first.CheckAsync(verificationId, first.TotpCode(), rememberDevice: true);
        var deviceToken = (await SetupDriver.JsonAsync(remembered)).GetProperty("deviceToken").GetString()!;

        // The same user enrolls again, this time with codes by text on another phone, the approval just made as step-up.
        var driver = new SetupDriver(fixture);
        var phone = SetupDriver.NewPhone();
        using (var started = await driver.StartAsync(new { userId = first.UserId, phone, stepUp = verificationId }))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        var cookie = await driver.OpenAsync(driver.LinkTextedTo(phone));
        await driver.SendAsync(HttpMethod.Post, "/api/setup/sms", cookie);
        using var verified = await driver.PostAsync("/api/setup/verify", cookie, new { code = driver.CodeTextedTo(phone) });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var newCodes = (await SetupDriver.JsonAsync(verified)).GetProperty("emergencyCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        using var completed = await driver.PostAsync("/api/setup/complete", cookie, new { policy = "every-login", acknowledged = true });
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);

        var status = await first.StatusAsync();
        Assert.Equal("sms", status.GetProperty("method").GetString());
        Assert.Equal("+1 ••• ••• " + phone[^4..], status.GetProperty("phoneMasked").GetString());
        Assert.Equal(newCodes.Count, status.GetProperty("emergencyCodesLeft").GetInt32());
        Assert.Equal(0, status.GetProperty("rememberedDevices").GetInt32());

        // The old emergency codes and the old computer no longer count; the new codes do.
        using var withOldDevice = await first.StartAsync(deviceToken);
        var started2 = await SetupDriver.JsonAsync(withOldDevice);
        Assert.True(started2.GetProperty("required").GetBoolean());
        var id = started2.GetProperty("verificationId").GetString()!;
        using var oldCode = await first.CheckAsync(id, first.EmergencyCodes[0]);
        Assert.Equal("denied", (await SetupDriver.JsonAsync(oldCode)).GetProperty("status").GetString());
        using var newCode = await first.CheckAsync(id, newCodes[0]);
        Assert.Equal("approved", (await SetupDriver.JsonAsync(newCode)).GetProperty("status").GetString());
    }
}
