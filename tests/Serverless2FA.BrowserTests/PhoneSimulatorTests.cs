using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Serverless2FA.BrowserTests.Infrastructure;
using Serverless2FA.Core.Events;
using static Microsoft.Playwright.Assertions;

namespace Serverless2FA.BrowserTests;

/// <summary>A newcomer with no Twilio account enrolls a number by texting the bot from the phone simulator.</summary>
[Collection(PhoneSimulatorCollection.Name)]
public sealed partial class PhoneSimulatorTests(PhoneSimulatorFixture host)
{
    [Fact]
    public async Task PhoneSimulator_EnrollsANumberByText_EndToEnd()
    {
        await using var person = await host.OpenBrowserAsync();
        var page = person.Page;
        await page.GotoAsync("dev/phone");
        var userId = "user-" + Guid.NewGuid().ToString("N");
        await page.GetByLabel("User id").FillAsync(userId);

        await page.GetByRole(AriaRole.Button, new() { Name = "Start enrollment by text" }).ClickAsync();
        await Expect(page.Locator("#join")).ToContainTextAsync(new Regex("Text JOIN [A-Z2-9]{8} to \\+"));
        await Expect(page.GetByLabel("Message")).ToHaveValueAsync(new Regex("^JOIN "));

        var replies = page.Locator("#messages li.in");
        await SendAsync(page, null);
        await Expect(replies.Last).ToContainTextAsync("phone linked");

        await SendAsync(page, "1");
        var texted = page.Locator("#messages li.texted");
        await Expect(texted.Last).ToContainTextAsync("setup code");
        var code = SixDigits().Match(await texted.Last.TextContentAsync() ?? "").Value;

        await SendAsync(page, code);
        await Expect(replies.Last).ToContainTextAsync("emergency codes");
        await SendAsync(page, "saved");
        await Expect(replies.Last).ToContainTextAsync("Reply 1 at every sign-in");
        await SendAsync(page, "1");
        await Expect(replies.Last).ToContainTextAsync("done!");

        var status = await host.Client.GetFromJsonAsync<JsonElement>($"api/users/{userId}/two-factor");
        Assert.True(status.GetProperty("enrolled").GetBoolean());
        Assert.Equal("sms", status.GetProperty("method").GetString());
        Assert.Equal("every-login", status.GetProperty("policy").GetString());
        Assert.Empty(await page.Locator("#error").TextContentAsync() ?? "");
        person.AssertCleanRun();
    }

    [Fact]
    public async Task PhoneSimulator_ShowsTheEventsTheServiceTriedToDeliver()
    {
        await using var person = await host.OpenBrowserAsync();
        var page = person.Page;
        await page.GotoAsync("dev/phone");
        var userId = "user-" + Guid.NewGuid().ToString("N");

        await host.Services.GetRequiredService<EventPublisher>().PublishAsync(
            WebhookEvents.TwoFactorDisabled(DateTimeOffset.UtcNow, userId), default);

        var shown = page.Locator("#events li", new() { HasText = userId });
        await Expect(shown).ToContainTextAsync("two-factor.disabled");
        await Expect(shown).ToContainTextAsync(new Regex("retrying \\([0-9]+ tr(y|ies), no answer"));
        person.AssertCleanRun();
    }

    private static async Task SendAsync(IPage page, string? text)
    {
        var before = await page.Locator("#messages li.out").CountAsync();
        if (text is not null)
        {
            await page.GetByLabel("Message").FillAsync(text);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.Locator("#messages li.out")).ToHaveCountAsync(before + 1);
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
