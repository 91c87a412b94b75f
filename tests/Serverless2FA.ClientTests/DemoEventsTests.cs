extern alias demo;

using System.Net;
using System.Security.Cryptography;
using System.Text;
using demo::Serverless2FA.DemoApp.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;

namespace Serverless2FA.ClientTests;

/// <summary>
/// The demo app's event path: with <c>Serverless2FA:WebhookSecret</c> set, a signed <c>enrollment.completed</c>
/// turns its user's two-factor on (what the Settings page's poll then reads); anything unsigned changes nothing.
/// </summary>
public sealed class DemoEventsTests : IAsyncLifetime
{
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly string _database = Path.Combine(Path.GetTempPath(), "s2fa-demo-events", Guid.NewGuid().ToString("N"), "demo.db");
    private WebApplicationFactory<demo::Program> _demo = null!;

    public Task InitializeAsync()
    {
        _demo = new WebApplicationFactory<demo::Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Serverless2FA:WebhookSecret", Secret);
            // Never called here: the events alone change the app's record.
            builder.UseSetting("Serverless2FA:BaseUrl", "http://127.0.0.1:9/");
            builder.UseSetting("Demo:Database", _database);
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _demo.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_database)!, recursive: true);
    }

    [Fact]
    public async Task ASignedEnrollmentCompleted_TurnsTheUsersTwoFactorOn_OnceHoweverOftenItArrives()
    {
        var userId = await NewPendingUserAsync();
        var body = $$$"""{"type":"enrollment.completed","timestamp":"2025-01-02T03:04:05Z","data":{"userId":"{{{userId}}}","enrollmentId":"enr_1","method":"sms","policy":"every-login","replaced":false}}""";

        using var first = await PostAsync("msg_1", body, Secret);
        using var again = await PostAsync("msg_1", body, Secret);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        var user = await FindAsync(userId);
        Assert.True(user.TwoFactorEnabled);
        Assert.Null(user.PendingEnrollmentId);
    }

    [Fact]
    public async Task AnEventNotSignedWithTheSecret_Is400_AndChangesNothing()
    {
        var userId = await NewPendingUserAsync();
        var body = $$$"""{"type":"enrollment.completed","timestamp":"2025-01-02T03:04:05Z","data":{"userId":"{{{userId}}}","enrollmentId":"enr_1"}}""";

        using var forged = await PostAsync("msg_2", body, "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var user = await FindAsync(userId);
        Assert.False(user.TwoFactorEnabled);
        Assert.Equal("enr_1", user.PendingEnrollmentId);
    }

    [Fact]
    public async Task ALateCompletionOfAnEarlierEnrollment_DoesNotEndTheWaitForTheNewerLink()
    {
        var userId = await NewPendingUserAsync();
        var body = $$$"""{"type":"enrollment.completed","timestamp":"2025-01-02T03:04:05Z","data":{"userId":"{{{userId}}}","enrollmentId":"enr_0","method":"sms","policy":"every-login","replaced":false}}""";

        using var late = await PostAsync("msg_4", body, Secret);

        Assert.Equal(HttpStatusCode.NoContent, late.StatusCode);
        var user = await FindAsync(userId);
        Assert.True(user.TwoFactorEnabled);
        Assert.Equal("enr_1", user.PendingEnrollmentId);
    }

    [Fact]
    public async Task TwoFactorDisabled_TurnsItOff()
    {
        var userId = await NewPendingUserAsync(enabled: true);

        using var disabled = await PostAsync("msg_3", $$$"""{"type":"two-factor.disabled","timestamp":"2025-01-02T03:04:05Z","data":{"userId":"{{{userId}}}"}}""", Secret);

        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        Assert.False((await FindAsync(userId)).TwoFactorEnabled);
    }

    private async Task<string> NewPendingUserAsync(bool enabled = false)
    {
        using var scope = _demo.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DemoUser>>();
        var email = $"{Guid.NewGuid():N}@example.com";
        var user = new DemoUser { UserName = email, Email = email, PendingEnrollmentId = "enr_1", TwoFactorEnabled = enabled };
        Assert.True((await users.CreateAsync(user, "correct-horse-42")).Succeeded);
        return user.Id;
    }

    private async Task<DemoUser> FindAsync(string userId)
    {
        using var scope = _demo.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<DemoUser>>().FindByIdAsync(userId))!;
    }

    private async Task<HttpResponseMessage> PostAsync(string id, string body, string secret)
    {
        var now = DateTimeOffset.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/serverless2fa") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", new StandardWebhook(secret).Sign(id, now, body));
        return await _demo.CreateClient().SendAsync(request);
    }
}
