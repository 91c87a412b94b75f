using System.Net;
using Serverless2FA.IntegrationTests.Bot;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Lifecycle;

/// <summary>A policy the relying app set at the start is the only one offered, and the only one that finishes.</summary>
[Collection(ServiceCollection.Name)]
public sealed class PolicyFixedTests(ServiceFixture fixture)
{
    [Fact]
    public async Task AFixedPolicy_IsTheOnlyOneOffered_AndAnotherIs409PolicyFixed()
    {
        var driver = new SetupDriver(fixture);
        var userId = SetupDriver.NewUserId();
        var phone = SetupDriver.NewPhone();
        using (var started = await driver.StartAsync(new { userId, phone, policy = "every-login" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        var cookie = await driver.OpenAsync(driver.LinkTextedTo(phone));
        using var state = await driver.SendAsync(HttpMethod.Get, "/api/setup", cookie, json: null);
        var body = await SetupDriver.JsonAsync(state);
        Assert.Equal(["every-login"], body.GetProperty("policies").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("every-login", body.GetProperty("policy").GetString());
        await driver.SendAsync(HttpMethod.Post, "/api/setup/sms", cookie);
        using (var verified = await driver.PostAsync("/api/setup/verify", cookie, new { code = driver.CodeTextedTo(phone) }))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        using var downgraded = await driver.PostAsync("/api/setup/complete", cookie, new { policy = "once-per-computer", acknowledged = true });
        using var status = await driver.Client.GetAsync($"/api/users/{userId}/two-factor");
        using var completed = await driver.PostAsync("/api/setup/complete", cookie, new { policy = "every-login", acknowledged = true });

        await Lifecycle.ProblemAsync(downgraded, HttpStatusCode.Conflict, "policy-fixed");
        Assert.False((await SetupDriver.JsonAsync(status)).GetProperty("enrolled").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        using var after = await driver.Client.GetAsync($"/api/users/{userId}/two-factor");
        Assert.Equal("every-login", (await SetupDriver.JsonAsync(after)).GetProperty("policy").GetString());
    }

    [Fact]
    public async Task WithoutAFixedPolicy_BothAreOffered()
    {
        var driver = new SetupDriver(fixture);
        var (_, _, cookie) = await driver.StartAndOpenAsync();

        using var state = await driver.SendAsync(HttpMethod.Get, "/api/setup", cookie, json: null);

        Assert.Equal(["every-login", "once-per-computer"], (await SetupDriver.JsonAsync(state)).GetProperty("policies").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task TheBot_SkipsThePolicyQuestion_WhenTheAppFixedIt_AndThePageCannotChangeIt()
    {
        var bot = new BotDriver(fixture);
        var (userId, phone) = await bot.JoinAsync(policy: "once-per-computer");
        await bot.Phone.TextAsync(phone, "2");
        var cookie = await bot.Setup.OpenAsync(bot.Setup.LinkTextedTo(phone));
        using var app = await bot.Setup.SendAsync(HttpMethod.Post, "/api/setup/authenticator", cookie);
        var secret = (await SetupDriver.JsonAsync(app)).GetProperty("secret").GetString()!;
        var code = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret)).ComputeTotp(fixture.Clock.GetUtcNow().UtcDateTime);
        await bot.Phone.TextAsync(phone, code);

        using var onThePage = await bot.Setup.PostAsync("/api/setup/complete", cookie, new { policy = "every-login", acknowledged = true });
        var done = await bot.Phone.TextAsync(phone, "SAVED");

        await Lifecycle.ProblemAsync(onThePage, HttpStatusCode.Conflict, "policy-fixed");
        Assert.Contains("done", done.Reply);
        Assert.Equal("once-per-computer", (await bot.StatusAsync(userId)).GetProperty("policy").GetString());
    }
}
