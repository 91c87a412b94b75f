using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OtpNet;

namespace Serverless2FA.IntegrationTests.Infrastructure;

/// <summary>A user enrolled through the real setup flow, and the log-in calls a relying app makes for them.</summary>
public sealed class EnrolledUser
{
    private readonly IServiceFixture _fixture;
    private readonly SetupDriver _driver;

    private EnrolledUser(IServiceFixture fixture, SetupDriver driver, string userId, string phone, string? secret, IReadOnlyList<string> emergencyCodes)
    {
        _fixture = fixture;
        _driver = driver;
        UserId = userId;
        Phone = phone;
        Secret = secret;
        EmergencyCodes = emergencyCodes;
    }

    public string UserId { get; }

    public string Phone { get; }

    public string? Secret { get; }

    public IReadOnlyList<string> EmergencyCodes { get; }

    public HttpClient Client => _driver.Client;

    /// <summary>
    /// Enrolls <paramref name="userId"/> (a new user by default) with <paramref name="method"/> ("authenticator" or
    /// "sms") and <paramref name="policy"/>; a user who is enrolled already needs <paramref name="stepUp"/> (<see cref="StepUpAsync"/>).
    /// </summary>
    public static async Task<EnrolledUser> EnrollAsync(IServiceFixture fixture, string method, string policy = "every-login", string? userId = null, string? stepUp = null)
    {
        var driver = new SetupDriver(fixture);
        var (enrolledId, phone, cookie) = await driver.StartAndOpenAsync(userId, stepUp);
        return await CompleteAsync(fixture, driver, enrolledId, phone, cookie, method, policy);
    }

    /// <summary>Finishes the setup session <paramref name="cookie"/> (opened for <paramref name="phone"/>) with <paramref name="method"/>.</summary>
    public static async Task<EnrolledUser> CompleteAsync(IServiceFixture fixture, SetupDriver driver, string enrolledId, string phone, string cookie, string method, string policy = "every-login")
    {
        string? secret = null;
        string code;
        if (method == "authenticator")
        {
            var app = await SetupDriver.JsonAsync(await driver.SendAsync(HttpMethod.Post, "/api/setup/authenticator", cookie));
            secret = app.GetProperty("secret").GetString()!;
            code = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(fixture.Clock.GetUtcNow().UtcDateTime);
        }
        else
        {
            using var sent = await driver.SendAsync(HttpMethod.Post, "/api/setup/sms", cookie);
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
            code = driver.CodeTextedTo(phone);
        }

        using var verified = await driver.PostAsync("/api/setup/verify", cookie, new { code });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var codes = (await SetupDriver.JsonAsync(verified)).GetProperty("emergencyCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        using var completed = await driver.PostAsync("/api/setup/complete", cookie, new { policy, acknowledged = true });
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        return new EnrolledUser(fixture, driver, enrolledId, phone, secret, codes);
    }

    /// <summary>The authenticator's code <paramref name="steps"/> time steps from now (the setup used the current one).</summary>
    public string TotpCode(int steps = 1)
        => new Totp(Base32Encoding.ToBytes(Secret!)).ComputeTotp(_fixture.Clock.GetUtcNow().AddSeconds(30 * steps).UtcDateTime);

    public string LastTextedCode() => _driver.CodeTextedTo(Phone);

    /// <summary>A 6-digit code the authenticator shows at no step the service would accept now (±1 step).</summary>
    public string WrongCode()
    {
        var totp = new Totp(Base32Encoding.ToBytes(Secret!));
        var now = _fixture.Clock.GetUtcNow().UtcDateTime;
        var live = new[] { -30, 0, 30, 60 }.Select(s => totp.ComputeTotp(now.AddSeconds(s))).ToHashSet();
        return Enumerable.Range(0, 10).Select(d => (123450 + d).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(c => !live.Contains(c));
    }

    /// <summary>A 6-digit code that is not <paramref name="code"/>.</summary>
    public static string Other(string code) => code == "000000" ? "111111" : "000000";

    /// <summary>
    /// A verification approved now with the authenticator's next code: a step-up, to replace the factor. Each time
    /// step passes once, so a second one in a test needs the clock moved on a step first.
    /// </summary>
    public async Task<string> StepUpAsync()
    {
        var verificationId = await StartVerificationAsync();
        using var approved = await CheckAsync(verificationId, TotpCode());
        Assert.Equal("approved", (await SetupDriver.JsonAsync(approved)).GetProperty("status").GetString());
        return verificationId;
    }

    public Task<HttpResponseMessage> StartAsync(string? deviceToken = null)
        => Client.PostAsJsonAsync("/api/verifications", new { userId = UserId, deviceToken });

    public async Task<string> StartVerificationAsync(string? deviceToken = null)
    {
        using var response = await StartAsync(deviceToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await SetupDriver.JsonAsync(response)).GetProperty("verificationId").GetString()!;
    }

    public Task<HttpResponseMessage> CheckAsync(string verificationId, string code, bool? rememberDevice = null)
        => Client.PostAsJsonAsync($"/api/verifications/{verificationId}/check", new { userId = UserId, code, rememberDevice });

    public async Task<JsonElement> StatusAsync()
    {
        using var response = await Client.GetAsync($"/api/users/{UserId}/two-factor");
        return await SetupDriver.JsonAsync(response);
    }

    public async Task<List<string>> AuditEventsAsync()
    {
        using var response = await Client.GetAsync($"/api/users/{UserId}/two-factor/audit");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await SetupDriver.JsonAsync(response);
        return body.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event").GetString()!).ToList();
    }
}
