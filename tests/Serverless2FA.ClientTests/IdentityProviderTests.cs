using System.Net;
using Serverless2FA.Client;
using Serverless2FA.ClientTests.Infrastructure;
using Serverless2FA.IntegrationTests.Infrastructure;

namespace Serverless2FA.ClientTests;

/// <summary>
/// ASP.NET Core Identity with <c>AddServerless2FA()</c>: sign-in asks for the code the service checks, so a code
/// works once, wrong ones lock, and a computer is remembered only as the user's policy allows.
/// </summary>
[Collection(ClientCollection.Name)]
public sealed class IdentityProviderTests(ClientFixture fixture) : IAsyncLifetime
{
    private IdentityTestApp _app = null!;

    public async Task InitializeAsync() => _app = await IdentityTestApp.StartAsync(fixture);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task SignIn_AsksForTheCode_AndTheServiceApprovesIt()
    {
        var (browser, email, user) = await EnrolledIdentityUserAsync("authenticator");

        var password = await browser.SignInAsync(email);
        var method = await browser.StartCodeAsync();
        var code = await browser.EnterCodeAsync(user.TotpCode());

        Assert.Equal("RequiresTwoFactor", password);
        Assert.Equal("Authenticator", method);
        Assert.Equal("Succeeded", code.Result);
        Assert.True(await browser.IsSignedInAsync());
        Assert.Equal("verified", (await fixture.Service.GetTwoFactorAuditAsync(user.UserId))[0].Event);
    }

    [Fact]
    public async Task AReplayedCode_IsRefused()
    {
        var (browser, email, user) = await EnrolledIdentityUserAsync("authenticator");
        var code = user.TotpCode();
        await browser.SignInAsync(email);
        Assert.Equal("Succeeded", (await browser.EnterCodeAsync(code)).Result);
        await browser.SignOutAsync();

        await browser.SignInAsync(email);
        var replay = await browser.EnterCodeAsync(code);

        Assert.Equal("Failed", replay.Result);
        Assert.Equal(nameof(VerificationCheck.Denied), replay.Check);
        Assert.False(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task FiveWrongCodes_Lock_SoEvenTheRightCodeIsRefused()
    {
        var (browser, email, user) = await EnrolledIdentityUserAsync("authenticator");
        await browser.SignInAsync(email);
        var answers = new List<IdentityTestApp.CodeAnswer>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await browser.EnterCodeAsync(Codes.Wrong(user, fixture.Clock)));
        }

        var right = await browser.EnterCodeAsync(user.TotpCode());

        Assert.Equal([4, 3, 2, 1], answers.Take(4).Select(a => a.AttemptsLeft!.Value));
        Assert.Equal(nameof(VerificationCheck.Locked), answers[4].Check);
        Assert.Equal("Failed", right.Result);
        Assert.Equal(nameof(VerificationCheck.Locked), right.Check);
        Assert.False(await browser.IsSignedInAsync());
        Assert.IsType<VerificationStart.Locked>(await fixture.Service.StartVerificationAsync(user.UserId));
    }

    [Fact]
    public async Task AnSmsUser_GetsTheCodeTexted_AndSignsInWithIt()
    {
        var (browser, email, user) = await EnrolledIdentityUserAsync("sms");
        var texts = fixture.Twilio.MessagesTo(user.Phone).Count;

        await browser.SignInAsync(email);
        var method = await browser.StartCodeAsync();
        var again = await browser.StartCodeAsync();
        var code = await browser.EnterCodeAsync(user.LastTextedCode());

        Assert.Equal("Sms", method);
        Assert.Equal("Sms", again);
        Assert.Equal(texts + 1, fixture.Twilio.MessagesTo(user.Phone).Count);
        Assert.Equal("Succeeded", code.Result);
    }

    [Fact]
    public async Task RememberThisComputer_OncePerComputer_SkipsTheCodeNextTime_WithASecureHttpOnlyCookie()
    {
        var (browser, email, user) = await EnrolledIdentityUserAsync("authenticator", "once-per-computer");
        await browser.SignInAsync(email);
        await browser.StartCodeAsync();
        var pendingCookie = browser.LastSetCookies.Single(c => c.StartsWith("__Host-s2fa-verification=", StringComparison.Ordinal));

        var code = await browser.EnterCodeAsync(user.TotpCode(), remember: true);
        var deviceCookie = browser.LastSetCookies.Single(c => c.StartsWith("__Host-s2fa-device-", StringComparison.Ordinal));
        await browser.SignOutAsync();
        var next = await browser.SignInAsync(email);

        Assert.Equal("Succeeded", code.Result);
        Assert.Equal("Succeeded", next);
        Assert.True(await browser.IsSignedInAsync());
        foreach (var cookie in new[] { pendingCookie, deviceCookie })
        {
            var flags = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(f => f.ToLowerInvariant()).ToList();
            Assert.Contains("secure", flags);
            Assert.Contains("httponly", flags);
            Assert.Contains("samesite=strict", flags);
            Assert.Contains("path=/", flags);
            Assert.DoesNotContain(flags, f => f.StartsWith("domain=", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(user.UserId, deviceCookie, StringComparison.Ordinal);
        Assert.Equal(1, (await fixture.Service.GetTwoFactorStatusAsync(user.UserId)).RememberedDevices);

        await fixture.Service.ForgetDevicesAsync(user.UserId);
        await browser.SignOutAsync();
        Assert.Equal("RequiresTwoFactor", await browser.SignInAsync(email));
    }

    [Fact]
    public async Task RememberThisComputer_EveryLogIn_RemembersNothing()
    {
        var (browser, email, user) = await EnrolledIdentityUserAsync("authenticator", "every-login");
        await browser.SignInAsync(email);

        var code = await browser.EnterCodeAsync(user.TotpCode(), remember: true);
        await browser.SignOutAsync();
        var next = await browser.SignInAsync(email);

        Assert.Equal("Succeeded", code.Result);
        Assert.DoesNotContain(browser.Cookies.GetAllCookies(), c => c.Name.Contains("s2fa-device", StringComparison.Ordinal));
        Assert.DoesNotContain(browser.Cookies.GetAllCookies(), c => c.Name.Contains("TwoFactorRememberMe", StringComparison.Ordinal));
        Assert.Equal("RequiresTwoFactor", next);
    }

    [Fact]
    public async Task IdentitysAuthenticatorSignIn_IsCheckedByTheService_Too()
    {
        var (browser, email, user) = await EnrolledIdentityUserAsync("authenticator");
        var code = user.TotpCode();

        await browser.SignInAsync(email);
        var first = await browser.EnterAuthenticatorCodeAsync(code);
        await browser.SignOutAsync();
        await browser.SignInAsync(email);
        var replay = await browser.EnterAuthenticatorCodeAsync(code);

        Assert.Equal("Succeeded", first.Result);
        Assert.Equal("Failed", replay.Result);
    }

    [Fact]
    public async Task APendingVerification_IsBoundToItsUser()
    {
        var (browser, emailA, userA) = await EnrolledIdentityUserAsync("authenticator");
        var (_, emailB, _) = await EnrolledIdentityUserAsync("authenticator");
        await browser.SignInAsync(emailA);
        await browser.StartCodeAsync();

        // The same browser now signs in as B: A's pending verification must not check B's sign-in.
        await browser.SignInAsync(emailB);
        var code = await browser.EnterCodeAsync(userA.TotpCode());

        Assert.Equal("Failed", code.Result);
        Assert.False(await browser.IsSignedInAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Client.GetAsync("/me")).StatusCode);
    }

    private async Task<(IdentityTestApp.Browser Browser, string Email, EnrolledUser User)> EnrolledIdentityUserAsync(string method, string policy = "every-login")
    {
        var browser = _app.NewBrowser();
        var email = $"{Guid.NewGuid():N}@example.com";
        var id = await browser.SignUpAsync(email);
        var user = await EnrolledUser.EnrollAsync(fixture, method, policy, id);
        await browser.EnableTwoFactorAsync(email);
        return (browser, email, user);
    }
}
