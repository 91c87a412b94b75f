using System.Net;
using OtpNet;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Enrollment;

[Collection(ServiceCollection.Name)]
public sealed class NothingSecretLeaksTestsOnLocalHost(ServiceFixture fixture) : NothingSecretLeaksTests(fixture);

/// <summary>What an operator or a relying app can read must never hold a phone number, code, token or secret (both hosts).</summary>
public abstract class NothingSecretLeaksTests(IServiceFixture fixture)
{
    private readonly SetupDriver _driver = new(fixture);

    [Fact]
    public async Task WholeEnrollment_LogsNoPhoneCodeTokenOrSecret()
    {
        var secrets = new List<string>();
        var responses = new List<string>();

        // Codes by text, with one wrong code on the way.
        var (userId, phone, cookie) = await _driver.StartAndOpenAsync();
        secrets.Add(phone[2..]);
        secrets.Add(_driver.LinkTextedTo(phone)["/s/".Length..]);
        secrets.Add(cookie.Split('=', 2)[1].Split('.')[1]);
        await _driver.SendAsync(HttpMethod.Post, "/api/setup/sms", cookie);
        var code = _driver.CodeTextedTo(phone);
        secrets.Add(code);
        responses.Add(await (await _driver.PostAsync("/api/setup/verify", cookie, new { code = code == "000000" ? "111111" : "000000" })).Content.ReadAsStringAsync());
        using var verified = await _driver.PostAsync("/api/setup/verify", cookie, new { code });
        var emergency = (await SetupDriver.JsonAsync(verified)).GetProperty("emergencyCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        secrets.AddRange(emergency);
        responses.Add(await (await _driver.PostAsync("/api/setup/complete", cookie, new { policy = "every-login", acknowledged = true })).Content.ReadAsStringAsync());
        responses.Add(await (await _driver.Client.GetAsync($"/api/users/{userId}/two-factor")).Content.ReadAsStringAsync());

        // The authenticator app.
        var (_, phone2, cookie2) = await _driver.StartAndOpenAsync();
        secrets.Add(phone2[2..]);
        var app = await SetupDriver.JsonAsync(await _driver.SendAsync(HttpMethod.Post, "/api/setup/authenticator", cookie2));
        var secret = app.GetProperty("secret").GetString()!;
        secrets.Add(secret);
        var totp = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(fixture.Clock.GetUtcNow().UtcDateTime);
        secrets.Add(totp);
        using var verified2 = await _driver.PostAsync("/api/setup/verify", cookie2, new { code = totp });
        Assert.Equal(HttpStatusCode.OK, verified2.StatusCode);

        var logs = string.Join('\n', fixture.Logs.Lines);
        Assert.Contains("••• " + phone[^4..], logs);
        foreach (var value in secrets)
        {
            Assert.DoesNotContain(value, logs, StringComparison.Ordinal);
            Assert.All(responses, body => Assert.DoesNotContain(value, body, StringComparison.Ordinal));
        }
    }
}
