using System.Globalization;
using System.Net;
using System.Text.Json;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.IntegrationTests.Limits;

/// <summary>
/// The per-purpose sending limits and the pumping guard at their default settings (API.md, "Sending limits"),
/// through the HTTP API, the real Twilio SDK and Azurite.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class SendingBudgetsTests(ServiceFixture fixture)
{
    private readonly SetupDriver _driver = new(fixture);

    [Fact]
    public async Task EnrollmentTextsUntil429_DoNotStarveTheNumbersOwnLogInCode()
    {
        // The victim enrolled by text (a link and a setup code: two enrollment texts to the number).
        var victim = await EnrolledUser.EnrollAsync(fixture, "sms");
        HttpStatusCode status;
        var strangers = 0;
        do
        {
            using var started = await _driver.StartAsync(new { userId = SetupDriver.NewUserId(), phone = victim.Phone });
            status = started.StatusCode;
            strangers++;
        }
        while (status == HttpStatusCode.Accepted && strangers < 10);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        var texts = fixture.Twilio.MessagesTo(victim.Phone).Count;

        using var login = await victim.StartAsync();

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(texts + 1, fixture.Twilio.MessagesTo(victim.Phone).Count);
        Assert.Contains("sign-in code", fixture.Twilio.MessagesTo(victim.Phone)[^1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParallelStarts_ToOneNumber_SendExactlyThree_AndTheRefusedUseUpNoUsersSlot()
    {
        var phone = SetupDriver.NewPhone();
        var users = Enumerable.Range(0, 12).Select(_ => SetupDriver.NewUserId()).ToList();

        var responses = await Task.WhenAll(users.Select(u => _driver.StartAsync(new { userId = u, phone })));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(3, fixture.Twilio.MessagesTo(phone).Count);

        // A refused user still has all ten of its enrollment texts this hour: its refusal took no slot.
        var refused = users[Array.FindIndex(responses, r => r.StatusCode == HttpStatusCode.TooManyRequests)];
        for (var i = 0; i < 10; i++)
        {
            using var ok = await _driver.StartAsync(new { userId = refused, phone = SetupDriver.NewPhone() });
            Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        }

        using var eleventh = await _driver.StartAsync(new { userId = refused, phone = SetupDriver.NewPhone() });
        Assert.Equal(HttpStatusCode.TooManyRequests, eleventh.StatusCode);
    }

    [Fact]
    public async Task ParallelStarts_ForOneUser_SendExactlyTen_AndTheRefusedUseUpNoNumbersSlot()
    {
        var userId = SetupDriver.NewUserId();
        var phones = Enumerable.Range(0, 14).Select(_ => SetupDriver.NewPhone()).ToList();

        var responses = await Task.WhenAll(phones.Select(p => _driver.StartAsync(new { userId, phone = p })));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(10, phones.Sum(p => fixture.Twilio.MessagesTo(p).Count));

        // A refused number still gets its three enrollment texts this hour.
        var refused = phones[Array.FindIndex(responses, r => r.StatusCode == HttpStatusCode.TooManyRequests)];
        Assert.Empty(fixture.Twilio.MessagesTo(refused));
        for (var i = 0; i < 3; i++)
        {
            using var ok = await _driver.StartAsync(new { userId = SetupDriver.NewUserId(), phone = refused });
            Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        }
    }

    [Fact]
    public async Task PumpedBlock_IsRefused_WhileOtherBlocksAndLogInCodesGo_AndCompletionsRestoreIt()
    {
        // A block of its own: SetupDriver.NewPhone never uses exchange 777.
        const string block = "+12017770";
        string Number(int i) => block + i.ToString("D3", CultureInfo.InvariantCulture);

        // One person of the block enrolled by text earlier: two enrollment texts, one completion.
        var member = await EnrollInBlockAsync(Number(0));
        var pending = new List<(string Phone, string UserId)>();
        for (var i = 1; i <= 18; i++)
        {
            var phone = Number(i);
            var userId = SetupDriver.NewUserId();
            using var started = await _driver.StartAsync(new { userId, phone });
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            pending.Add((phone, userId));
        }

        // 20 enrollment texts, 1 completion: under one in ten.
        using var pumped = await _driver.StartAsync(new { userId = SetupDriver.NewUserId(), phone = Number(100) });
        Assert.Equal(HttpStatusCode.TooManyRequests, pumped.StatusCode);
        var problem = JsonDocument.Parse(await pumped.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("urn:serverless2fa:problem:suspected-pumping", problem.GetProperty("type").GetString());
        Assert.NotNull(pumped.Headers.RetryAfter);
        Assert.Empty(fixture.Twilio.MessagesTo(Number(100)));

        // Another block is not affected, and the member's log-in code goes out.
        using var elsewhere = await _driver.StartAsync(new { userId = SetupDriver.NewUserId(), phone = SetupDriver.NewPhone() });
        Assert.Equal(HttpStatusCode.Accepted, elsewhere.StatusCode);
        using var login = await member.StartAsync();
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);

        // A setup started before the refusal completes (by authenticator, no text): 2 in 20 is one in ten again.
        await CompleteWithAuthenticatorAsync(pending[0].Phone);
        using var restored = await _driver.StartAsync(new { userId = SetupDriver.NewUserId(), phone = Number(100) });
        Assert.Equal(HttpStatusCode.Accepted, restored.StatusCode);
        Assert.Single(fixture.Twilio.MessagesTo(Number(100)));
    }

    private async Task<EnrolledUser> EnrollInBlockAsync(string phone)
    {
        var userId = SetupDriver.NewUserId();
        using var started = await _driver.StartAsync(new { userId, phone });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return await EnrolledUser.CompleteAsync(fixture, _driver, userId, phone, await _driver.OpenAsync(_driver.LinkTextedTo(phone)), "sms");
    }

    private async Task CompleteWithAuthenticatorAsync(string phone)
    {
        var cookie = await _driver.OpenAsync(_driver.LinkTextedTo(phone));
        await EnrolledUser.CompleteAsync(fixture, _driver, "unused", phone, cookie, "authenticator");
    }
}
