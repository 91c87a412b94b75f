using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OtpNet;
using Serverless2FA.BrowserTests.Infrastructure;
using Serverless2FA.Functions.Http;
using static Microsoft.Playwright.Assertions;

namespace Serverless2FA.BrowserTests;

/// <summary>A person sets up two-step sign-in from the texted link, as they would on their phone.</summary>
[Collection(SetupBrowserCollection.Name)]
public sealed partial class SetupPageTests(SetupBrowserFixture host)
{
    [Fact]
    public async Task Setup_WithAuthenticatorApp_TurnsTwoFactorOnWithTheChosenPolicy()
    {
        await using var person = await host.OpenBrowserAsync();
        var page = person.Page;
        var userId = NewUserId();
        var link = await host.TextMeALinkAsync(userId, host.NewPhone());

        await TapTheLinkAndContinueAsync(page, link);
        Assert.Equal("/setup", new Uri(page.Url).AbsolutePath);
        await page.GetByRole(AriaRole.Button, new() { Name = "Authenticator app", Exact = true }).ClickAsync();

        await Expect(page.Locator("#qr")).ToHaveAttributeAsync("src", new Regex("^data:image/svg\\+xml;base64,"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Open in authenticator app" }))
            .ToHaveAttributeAsync("href", new Regex("^otpauth://totp/"));
        var secret = (await page.Locator("#secret").TextContentAsync() ?? "").Replace(" ", "", StringComparison.Ordinal);
        var code = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp();
        await page.GetByLabel("6-digit code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Check code" }).ClickAsync();

        var emergencyCodes = page.Locator("#emergency-codes");
        await Expect(emergencyCodes).ToBeVisibleAsync();
        // Five codes, one a line, each four groups of four from the alphabet without look-alikes (no 0/O, 1/I/L, U).
        var shown = (await emergencyCodes.TextContentAsync() ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, shown.Length);
        Assert.All(shown, c => Assert.Matches("^[A-HJKMNP-TV-Z2-9]{4}(-[A-HJKMNP-TV-Z2-9]{4}){3}$", c));
        Assert.Equal(5, shown.Distinct().Count());
        var finish = page.GetByRole(AriaRole.Button, new() { Name = "Finish" });
        await Expect(finish).ToBeDisabledAsync();
        await page.GetByLabel("I have saved my emergency codes").CheckAsync();
        await page.GetByLabel("Once per computer").CheckAsync();
        await finish.ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-step sign-in is on." })).ToBeVisibleAsync();
        var status = await host.Client.GetFromJsonAsync<JsonElement>($"api/users/{userId}/two-factor");
        Assert.True(status.GetProperty("enrolled").GetBoolean());
        Assert.Equal("authenticator", status.GetProperty("method").GetString());
        Assert.Equal("once-per-computer", status.GetProperty("policy").GetString());
        person.AssertCleanRun();
    }

    [Fact]
    public async Task Setup_WithAPolicyTheAppFixed_ShowsItAsDecided_AndFinishesWithIt()
    {
        await using var person = await host.OpenBrowserAsync();
        var page = person.Page;
        var userId = NewUserId();
        var link = await host.TextMeALinkAsync(userId, host.NewPhone(), policy: "once-per-computer");

        await TapTheLinkAndContinueAsync(page, link);
        await page.GetByRole(AriaRole.Button, new() { Name = "Authenticator app", Exact = true }).ClickAsync();
        await Expect(page.Locator("#secret")).Not.ToBeEmptyAsync();
        var secret = (await page.Locator("#secret").TextContentAsync() ?? "").Replace(" ", "", StringComparison.Ordinal);
        await page.GetByLabel("6-digit code").FillAsync(new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp());
        await page.GetByRole(AriaRole.Button, new() { Name = "Check code" }).ClickAsync();
        await page.GetByLabel("I have saved my emergency codes").CheckAsync();

        // No choice is offered: both radios are hidden and the decision is said in words.
        await Expect(page.Locator("#policy-decided")).ToHaveTextAsync("Your app decided: Once per computer.");
        await Expect(page.GetByLabel("Every log-in")).ToBeHiddenAsync();
        await Expect(page.GetByLabel("Once per computer")).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Finish" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-step sign-in is on." })).ToBeVisibleAsync();
        var status = await host.Client.GetFromJsonAsync<JsonElement>($"api/users/{userId}/two-factor");
        Assert.Equal("once-per-computer", status.GetProperty("policy").GetString());
        person.AssertCleanRun();
    }

    [Fact]
    public async Task Setup_WithCodesByText_TurnsTwoFactorOnWithTheChosenPolicy()
    {
        await using var person = await host.OpenBrowserAsync();
        var page = person.Page;
        var userId = NewUserId();
        var phone = host.NewPhone();
        var link = await host.TextMeALinkAsync(userId, phone);

        await TapTheLinkAndContinueAsync(page, link);
        var textsBefore = host.Twilio.MessagesTo(phone).Count;
        await page.GetByRole(AriaRole.Button, new() { Name = "Codes by text", Exact = true }).ClickAsync();
        await Expect(page.Locator("#sms-sent")).ToContainTextAsync("We texted a code to +1");
        var text = await host.NextTextAsync(phone, textsBefore);
        var code = SixDigits().Match(text);
        Assert.True(code.Success, $"No 6-digit code in the text: {text}");

        await page.GetByLabel("6-digit code").FillAsync(code.Value == "000000" ? "111111" : "000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check code" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("left");
        await page.GetByLabel("6-digit code").FillAsync(code.Value);
        await page.GetByRole(AriaRole.Button, new() { Name = "Check code" }).ClickAsync();
        await page.GetByLabel("I have saved my emergency codes").CheckAsync();
        await page.GetByLabel("Every log-in").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Finish" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-step sign-in is on." })).ToBeVisibleAsync();
        var status = await host.Client.GetFromJsonAsync<JsonElement>($"api/users/{userId}/two-factor");
        Assert.Equal("sms", status.GetProperty("method").GetString());
        Assert.Equal("every-login", status.GetProperty("policy").GetString());
        person.AssertCleanRun();
    }

    [Fact]
    public async Task OpeningAUsedLink_ShowsTheExpiredPageWith410()
    {
        await using var person = await host.OpenBrowserAsync();
        var page = person.Page;
        var link = await host.TextMeALinkAsync(NewUserId(), host.NewPhone());
        await TapTheLinkAndContinueAsync(page, link);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Authenticator app", Exact = true })).ToBeVisibleAsync();

        var again = await page.GotoAsync(link.ToString());

        Assert.Equal(410, again!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This link has expired or was already used" })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Text me a link");
        person.AssertCleanRun();
    }

    [Fact]
    public async Task SetupPage_WithoutASession_SaysWhatToDoNext()
    {
        await using var person = await host.OpenBrowserAsync();
        var page = person.Page;

        await page.GotoAsync("setup");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This setup has ended" })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Text me a link");
        person.AssertCleanRun();
    }

    /// <summary>Proves the other tests' "no CSP violation" can fail: the policy is sent and a violation is seen.</summary>
    [Fact]
    public async Task SetupPage_IsServedUnderItsCsp_AndAViolationWouldBeReported()
    {
        await using var person = await host.OpenBrowserAsync();
        var page = person.Page;

        var response = await page.GotoAsync("setup");
        Assert.Equal(SecurityHeadersFilter.ContentSecurityPolicy, await response!.HeaderValueAsync("content-security-policy"));
        var reported = page.WaitForConsoleMessageAsync(new() { Predicate = m => m.Text.Contains("Content Security Policy", StringComparison.Ordinal), Timeout = 5000 });
        await page.EvaluateAsync("() => document.head.append(Object.assign(document.createElement('style'), { textContent: 'body { color: red }' }))");
        await reported;

        Assert.Contains(person.CspViolations, m => m.Contains("style-src", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TappingTheLink_ShowsContinue_AndOnlyTheButtonUsesItUp()
    {
        await using var person = await host.OpenBrowserAsync();
        var page = person.Page;
        var link = await host.TextMeALinkAsync(NewUserId(), host.NewPhone());

        // A preview or scanner got there first, and the person opened it twice: nothing is used up.
        using (var scanner = await host.Client.GetAsync(link))
        {
            Assert.Equal(200, (int)scanner.StatusCode);
        }

        var first = await page.GotoAsync(link.ToString());
        Assert.Equal(200, first!.Status);
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Continue setting up two-step sign-in" })).ToBeVisibleAsync();
        Assert.Empty(await page.Context.CookiesAsync());

        var posted = page.WaitForRequestAsync(r => r.Method == "POST" && r.Url == link.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        // What the same-origin check relies on: the browser says the form post came from this origin. Under the
        // page's Referrer-Policy: no-referrer, Chromium sends "Origin: null" for it, so Sec-Fetch-Site is the witness.
        var headers = await (await posted).AllHeadersAsync();
        Assert.Equal("same-origin", headers["sec-fetch-site"]);
        Assert.Equal("null", headers.GetValueOrDefault("origin"));

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Authenticator app", Exact = true })).ToBeVisibleAsync();
        Assert.Equal("/setup", new Uri(page.Url).AbsolutePath);
        var cookie = Assert.Single(await page.Context.CookiesAsync());
        Assert.Equal(SetupCookie.Name, cookie.Name);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        person.AssertCleanRun();
    }

    /// <summary>What a person does with the texted link: open it, see the Continue page, press Continue.</summary>
    private static async Task TapTheLinkAndContinueAsync(IPage page, Uri link)
    {
        var shown = await page.GotoAsync(link.ToString());
        Assert.Equal(200, shown!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Continue setting up two-step sign-in" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/setup");
    }

    private static string NewUserId() => "user-" + Guid.NewGuid().ToString("N")[..12];

    [GeneratedRegex(@"(?<!\d)\d{6}(?!\d)")]
    private static partial Regex SixDigits();
}
