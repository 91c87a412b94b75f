using System.Net;
using System.Net.Http.Json;
using Serverless2FA.Core.Enrollments;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Verification;

/// <summary>
/// A user id is 1-128 characters from A-Z a-z 0-9 . _ ~ @ + -, the same rule in bodies and routes: anything else is
/// 400 with errors.userId (never "accepted, then unmanageable"), and every allowed character works end to end.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class UserIdTests(ServiceFixture fixture)
{
    private readonly SetupDriver _driver = new(fixture);

    /// <summary>Every printable ASCII character outside the set, the odd ones (space, controls, non-ASCII), and lengths.</summary>
    public static TheoryData<string> Refused()
    {
        var data = new TheoryData<string>();
        foreach (var c in Enumerable.Range(0x20, 0x7f - 0x20).Select(i => (char)i).Where(c => !UserIds.Alphabet.Contains(c)))
        {
            data.Add("t" + c + "alice");
        }

        data.Add("t\u0000alice");
        data.Add("t\talice");
        data.Add("t\u007falice");
        data.Add("b\u00fccher");
        data.Add("\u0430lice"); // Cyrillic a
        data.Add("smile\ud83d\ude00");
        data.Add(new string('a', UserIds.MaxLength + 1));
        return data;
    }

    /// <summary>The same, but for NUL: ASP.NET Core refuses a path holding %00 itself (Kestrel answers 400) before any route.</summary>
    public static TheoryData<string> RefusedInRoutes()
    {
        var data = new TheoryData<string>();
        foreach (var id in Refused().Select((object[] row) => (string)row[0]).Where(id => !id.Contains('\0', StringComparison.Ordinal)))
        {
            data.Add(id);
        }

        return data;
    }

    /// <summary>Each allowed character, and ids shaped as relying apps make them.</summary>
    public static TheoryData<string> Allowed() => new()
    {
        UserIds.Alphabet,
        "alice+2fa@example.com",
        "~tilde_and.dots-",
        ".leading-dot",
        "...",
        "-",
        new string('z', UserIds.MaxLength),
    };

    [Theory]
    [MemberData(nameof(Refused))]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    public async Task Bodies_WithAnIdOutsideTheRule_Are400_AndTextNobody(string userId)
    {
        var phone = SetupDriver.NewPhone();

        using var enrollment = await _driver.StartAsync(new { userId, phone });
        using var byText = await _driver.StartAsync(new { userId });
        using var verification = await _driver.Client.PostAsJsonAsync("/api/verifications", new { userId });

        foreach (var response in new[] { enrollment, byText, verification })
        {
            await AssertUserIdProblemAsync(response);
        }

        Assert.Empty(fixture.Twilio.MessagesTo(phone));
    }

    [Theory]
    [MemberData(nameof(RefusedInRoutes))]
    public async Task Routes_WithAnIdOutsideTheRule_Are400(string userId)
    {
        var id = Uri.EscapeDataString(userId);
        foreach (var (method, path) in Routes(id))
        {
            using var response = await _driver.Client.SendAsync(new HttpRequestMessage(method, path));
            await AssertUserIdProblemAsync(response, $"{method} {path}");
        }
    }

    [Fact]
    public async Task SlashInAnId_IsRefusedInTheBody_AndCannotReachAnotherUsersRoutes()
    {
        using var enrollment = await _driver.StartAsync(new { userId = "t/alice", phone = SetupDriver.NewPhone() });
        using var status = await _driver.Client.GetAsync("/api/users/t%2Falice/two-factor");
        using var devices = await _driver.Client.DeleteAsync("/api/users/t%2Falice/devices");

        await AssertUserIdProblemAsync(enrollment);
        await AssertUserIdProblemAsync(status);
        await AssertUserIdProblemAsync(devices);
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public async Task IdsOfAllowedCharacters_WorkEndToEnd(string userId)
    {
        var user = await EnrolledUser.EnrollAsync(fixture, "authenticator", "once-per-computer", userId);
        // Unreserved characters, '@' and '+' are legal in a path as they are; encoded, they decode to the same id.
        var raw = userId;
        var encoded = Uri.EscapeDataString(userId);

        var verificationId = await user.StartVerificationAsync();
        using var check = await user.CheckAsync(verificationId, user.TotpCode(), rememberDevice: true);
        Assert.Equal("approved", (await SetupDriver.JsonAsync(check)).GetProperty("status").GetString());

        var status = await StatusAsync(raw);
        Assert.True(status.GetProperty("enrolled").GetBoolean());
        Assert.Equal(1, status.GetProperty("rememberedDevices").GetInt32());
        Assert.True((await StatusAsync(encoded)).GetProperty("enrolled").GetBoolean());

        using var forgotten = await _driver.Client.DeleteAsync($"/api/users/{raw}/devices");
        Assert.Equal(HttpStatusCode.NoContent, forgotten.StatusCode);
        Assert.Equal(0, (await StatusAsync(encoded)).GetProperty("rememberedDevices").GetInt32());

        using var disabled = await _driver.Client.DeleteAsync($"/api/users/{encoded}/two-factor");
        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        Assert.False((await StatusAsync(raw)).GetProperty("enrolled").GetBoolean());
        using var start = await user.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
    }

    private static IEnumerable<(HttpMethod Method, string Path)> Routes(string id) =>
    [
        (HttpMethod.Get, $"/api/users/{id}/two-factor"),
        (HttpMethod.Delete, $"/api/users/{id}/two-factor"),
        (HttpMethod.Post, $"/api/users/{id}/two-factor/emergency-codes"),
        (HttpMethod.Delete, $"/api/users/{id}/devices"),
        (HttpMethod.Delete, $"/api/users/{id}/two-factor/lock"),
        (HttpMethod.Get, $"/api/users/{id}/two-factor/audit"),
    ];

    private async Task<System.Text.Json.JsonElement> StatusAsync(string id)
    {
        using var response = await _driver.Client.GetAsync($"/api/users/{id}/two-factor");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await SetupDriver.JsonAsync(response);
    }

    private static async Task AssertUserIdProblemAsync(HttpResponseMessage response, string? what = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = System.Text.Json.JsonDocument.Parse(body).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty("userId", out _), $"{what}: {body}");
    }
}
