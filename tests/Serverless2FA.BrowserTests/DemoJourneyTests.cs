using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OtpNet;
using Serverless2FA.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Serverless2FA.BrowserTests;

/// <summary>
/// The whole journey as a person makes it: the demo relying app on the computer, the texted link and the setup page
/// on the phone, then signing in with the code, for both methods and both policies. The demo turns to "On" by the
/// service's real <c>enrollment.completed</c> event (its status-read safety net is off, so nothing else could flip it),
/// and, without events, by reading the service's status.
/// </summary>
[Collection(DemoJourneyCollection.Name)]
public sealed class DemoJourneyTests(DemoJourneyFixture fixture)
{
    private const string Password = "correct-horse-42";
    private static readonly LocatorAssertionsToHaveTextOptions WhileThePagePolls = new() { Timeout = 20_000 };

    [Fact]
    public async Task Authenticator_EveryLogIn_TurnsOnByTheEvent_SignsInWithTheCode_ThenNewCodesChangePhoneTurnOff()
    {
        await using var computer = await fixture.OpenComputerAsync();
        var page = computer.Page;
        var email = await SignUpAsync(page);
        await Expect(page.Locator("#two-factor-state")).ToHaveTextAsync("Off");

        var (secret, _) = await TurnOnAsync(page, "Every log-in", async (phone, _) =>
        {
            var shown = await ChooseTheAuthenticatorAsync(phone);
            await phone.GetByLabel("6-digit code").FillAsync(Code(shown));
            return shown;
        });
        await Expect(page.Locator("#two-factor-method")).ToHaveTextAsync("Authenticator app");
        await Expect(page.Locator("#two-factor-policy")).ToHaveTextAsync("Every log-in");

        await SignOutAsync(page);
        await SignInAsync(page, email);
        await Expect(page.Locator("#code-source")).ToHaveTextAsync("Enter the code from your authenticator app.");
        await Expect(page.GetByLabel("Remember this computer")).ToHaveCountAsync(0);
        await page.GetByLabel("Code").FillAsync(Code(secret!, steps: 1));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByText($"Signed in as {email}")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "New emergency codes" }).ClickAsync();
        var codes = await page.Locator("#emergency-codes li").AllTextContentsAsync();
        Assert.Equal(5, codes.Count);

        // Change phone: a step-up (here with an emergency code), then a link to the new phone and a new set-up.
        await ChangePhoneAsync(page, () => Task.FromResult(codes[0]), async (phone, _) =>
        {
            var shown = await ChooseTheAuthenticatorAsync(phone);
            await phone.GetByLabel("6-digit code").FillAsync(Code(shown));
        });

        await page.GetByRole(AriaRole.Button, new() { Name = "Turn off" }).ClickAsync();
        await Expect(page.Locator("#two-factor-state")).ToHaveTextAsync("Off");
        await SignOutAsync(page);
        await SignInAsync(page, email);
        await Expect(page.GetByText($"Signed in as {email}")).ToBeVisibleAsync();
        computer.AssertCleanRun();
    }

    [Fact]
    public async Task CodesByText_OncePerComputer_TurnsOnByTheEvent_RememberThisComputer_ThenChangePhoneByATextedStepUp()
    {
        await using var computer = await fixture.OpenComputerAsync();
        var page = computer.Page;
        var email = await SignUpAsync(page);
        var (_, number) = await TurnOnAsync(page, "Once per computer", async (phone, phoneNumber) =>
        {
            await ChooseCodesByTextAsync(phone, phoneNumber);
            return null;
        });
        await Expect(page.Locator("#two-factor-method")).ToHaveTextAsync("Codes by text");
        await Expect(page.Locator("#two-factor-policy")).ToHaveTextAsync("Once per computer");

        await SignOutAsync(page);
        var texts = fixture.Twilio.MessagesTo(number).Count;
        await SignInAsync(page, email);
        await Expect(page.Locator("#code-source")).ToHaveTextAsync("We texted a code to your phone.");
        await page.GetByLabel("Code").FillAsync(DemoJourneyFixture.CodeIn(await fixture.NextTextAsync(number, texts)));
        await page.GetByLabel("Remember this computer").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByText($"Signed in as {email}")).ToBeVisibleAsync();

        await SignOutAsync(page);
        texts = fixture.Twilio.MessagesTo(number).Count;
        await SignInAsync(page, email);
        await Expect(page.GetByText($"Signed in as {email}")).ToBeVisibleAsync();
        Assert.Equal("/Settings", new Uri(page.Url).AbsolutePath);
        Assert.Equal(texts, fixture.Twilio.MessagesTo(number).Count);

        // Change phone: the step-up is a code texted to the current phone; the new phone is set up from its own link.
        texts = fixture.Twilio.MessagesTo(number).Count;
        var newPhone = await ChangePhoneAsync(page, async () => DemoJourneyFixture.CodeIn(await fixture.NextTextAsync(number, texts)), ChooseCodesByTextAsync);

        // The replacement forgot the remembered computers: the next sign-in asks again, by a text to the new phone.
        await SignOutAsync(page);
        var newTexts = fixture.Twilio.MessagesTo(newPhone).Count;
        await SignInAsync(page, email);
        await Expect(page.Locator("#code-source")).ToHaveTextAsync("We texted a code to your phone.");
        await page.GetByLabel("Code").FillAsync(DemoJourneyFixture.CodeIn(await fixture.NextTextAsync(newPhone, newTexts)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByText($"Signed in as {email}")).ToBeVisibleAsync();
        computer.AssertCleanRun();
    }

    [Fact]
    public async Task WithoutEvents_TheDemoTurnsOnByReadingTheServicesStatus()
    {
        await using var computer = await fixture.OpenPollingComputerAsync();
        var page = computer.Page;
        var email = await SignUpAsync(page);

        await TurnOnAsync(page, "Every log-in", async (phone, phoneNumber) =>
        {
            await ChooseCodesByTextAsync(phone, phoneNumber);
            return null;
        });

        await Expect(page.Locator("#two-factor-method")).ToHaveTextAsync("Codes by text");
        var user = await fixture.DemoUserAsync(fixture.PollingDemoUrl, email);
        Assert.True(user.TwoFactorEnabled);
        Assert.Null(user.PendingEnrollmentId);
        computer.AssertCleanRun();
    }

    private static async Task<string> SignUpAsync(IPage page)
    {
        var email = $"{Guid.NewGuid():N}@example.com";
        await page.GotoAsync("/Account/SignUp");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Settings" })).ToBeVisibleAsync();
        return email;
    }

    private static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/Account/SignIn");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private static async Task SignOutAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome" })).ToBeVisibleAsync();
    }

    /// <summary>
    /// Settings → policy → phone → Text me → "We texted you a link"; the phone opens the link and finishes; the
    /// demo page turns to "On" by itself, not by a reload. Returns what <paramref name="method"/> returned.
    /// </summary>
    private async Task<(string? Result, string Phone)> TurnOnAsync(IPage page, string policy, Func<IPage, string, Task<string?>> proveIt)
    {
        var phoneNumber = fixture.NewPhone();
        await page.GetByLabel(policy).CheckAsync();
        await page.GetByLabel("Mobile phone number").FillAsync(phoneNumber);
        var texts = fixture.Twilio.MessagesTo(phoneNumber).Count;
        await page.GetByRole(AriaRole.Button, new() { Name = "Text me" }).ClickAsync();
        await Expect(page.GetByText("We texted you a link.")).ToBeVisibleAsync();
        await Expect(page.Locator("#two-factor-state")).ToHaveTextAsync("Setting up");
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        string? result = null;
        await FinishOnThePhoneAsync(
            DemoJourneyFixture.LinkIn(await fixture.NextTextAsync(phoneNumber, texts)),
            async phone => result = await proveIt(phone, phoneNumber));

        await Expect(page.Locator("#two-factor-state")).ToHaveTextAsync("On", WhileThePagePolls);
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "The Settings page reloaded instead of updating itself.");
        return (result, phoneNumber);
    }

    /// <summary>
    /// Change phone: the step-up code (<paramref name="stepUpCode"/>, asked for once the demo has started the step-up),
    /// a new phone, its texted link finished on that phone with <paramref name="proveIt"/>; the page turns to "On"
    /// by itself. Returns the new phone.
    /// </summary>
    private async Task<string> ChangePhoneAsync(IPage page, Func<Task<string>> stepUpCode, Func<IPage, string, Task> proveIt)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Change phone" }).ClickAsync();
        await page.GetByLabel("Code").FillAsync(await stepUpCode());
        var newPhone = fixture.NewPhone();
        var texts = fixture.Twilio.MessagesTo(newPhone).Count;
        await page.GetByLabel("New mobile phone number").FillAsync(newPhone);
        await page.GetByRole(AriaRole.Button, new() { Name = "Text the new phone" }).ClickAsync();
        await Expect(page.GetByText("We texted you a link.")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => { window.notReloaded = true; }");
        await FinishOnThePhoneAsync(DemoJourneyFixture.LinkIn(await fixture.NextTextAsync(newPhone, texts)), phone => proveIt(phone, newPhone));
        await Expect(page.Locator("#two-factor-state")).ToHaveTextAsync("On", WhileThePagePolls);
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "The Settings page reloaded instead of updating itself.");
        await Expect(page.Locator("#two-factor")).ToContainTextAsync(newPhone[^4..]);
        return newPhone;
    }

    /// <summary>On the setup page: codes by text, and the code texted to <paramref name="phoneNumber"/>.</summary>
    private async Task ChooseCodesByTextAsync(IPage phone, string phoneNumber)
    {
        var before = fixture.Twilio.MessagesTo(phoneNumber).Count;
        await phone.GetByRole(AriaRole.Button, new() { Name = "Codes by text", Exact = true }).ClickAsync();
        await phone.GetByLabel("6-digit code").FillAsync(DemoJourneyFixture.CodeIn(await fixture.NextTextAsync(phoneNumber, before)));
    }

    /// <summary>On the phone: the link's Continue page, the method, the code (filled by <paramref name="proveIt"/>), the emergency codes, Finish.</summary>
    private async Task FinishOnThePhoneAsync(string link, Func<IPage, Task> proveIt)
    {
        await using var phoneBrowser = await fixture.OpenPhoneAsync();
        var phone = phoneBrowser.Page;
        await phone.GotoAsync(link);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await phone.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/setup");
        await proveIt(phone);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Check code" }).ClickAsync();
        await Expect(phone.Locator("#emergency-codes")).ToBeVisibleAsync();
        await phone.GetByLabel("I have saved my emergency codes").CheckAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "Finish" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Two-step sign-in is on." })).ToBeVisibleAsync();
        phoneBrowser.AssertCleanRun();
    }

    /// <summary>Picks the authenticator app on the setup page and reads the secret it shows.</summary>
    private static async Task<string> ChooseTheAuthenticatorAsync(IPage phone)
    {
        await phone.GetByRole(AriaRole.Button, new() { Name = "Authenticator app", Exact = true }).ClickAsync();
        await Expect(phone.Locator("#secret")).ToHaveTextAsync(new Regex("^[A-Z2-7 ]{16,}$"));
        return (await phone.Locator("#secret").TextContentAsync() ?? "").Replace(" ", "", StringComparison.Ordinal);
    }

    /// <summary>The authenticator's code <paramref name="steps"/> time steps from now (each step is accepted once).</summary>
    private static string Code(string secret, int steps = 0)
        => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * steps));
}
