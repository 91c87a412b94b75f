using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Serverless2FA.AspNetCore;
using Serverless2FA.Client;
using Serverless2FA.DemoApp.Data;

namespace Serverless2FA.DemoApp.Pages.Account;

/// <summary>The code page: the service starts the verification (texting SMS users) and checks the code; Identity signs in.</summary>
public sealed class TwoStepModel(SignInManager<DemoUser> signIn, Serverless2FALogin<DemoUser> login, IServerless2FAClient service, IOptions<Serverless2FAIdentityOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string Code { get; set; } = "";

    [BindProperty]
    public bool Remember { get; set; }

    public string Source { get; private set; } = "";

    public string? Error { get; private set; }

    public TwoFactorMethod? Method { get; private set; }

    public bool CanRemember { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await ShowAsync(resend: false);

    public async Task<IActionResult> OnPostResendAsync() => await ShowAsync(resend: true);

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await signIn.TwoFactorSignInAsync(options.Value.ProviderName, Code, isPersistent: false, rememberClient: Remember);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/Settings");
        }

        var error = login.LastCheck switch
        {
            VerificationCheck.Denied { AttemptsLeft: var left } => $"That code is not right. {left} {(left == 1 ? "try" : "tries")} left.",
            VerificationCheck.Locked { RetryAfter: { } wait } => $"Too many wrong codes. Try again in {Math.Ceiling(wait.TotalMinutes)} minutes.",
            VerificationCheck.Locked => "Too many wrong codes. Ask us to unlock your account.",
            VerificationCheck.Expired expired => expired.Problem.Detail ?? "That code has expired.",
            VerificationCheck.InvalidCode => "Enter the 6-digit code, or one of your emergency codes.",
            _ => result.IsLockedOut ? "Your account is locked for now." : "The code could not be checked. Try again.",
        };
        var page = await ShowAsync(resend: false);
        Error = error;
        return page;
    }

    private async Task<IActionResult> ShowAsync(bool resend)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } user)
        {
            return RedirectToPage("/Account/SignIn");
        }

        VerificationStart start;
        try
        {
            start = await login.StartAsync(user, resend);
        }
        catch (Serverless2FAException ex)
        {
            Error = ex is Serverless2FAProblemException problem ? problem.Detail : "Two-step sign-in cannot be reached right now. Try again in a minute.";
            return Page();
        }

        switch (start)
        {
            case VerificationStart.Required { Method: TwoFactorMethod.Sms }:
                Method = TwoFactorMethod.Sms;
                Source = resend ? "We texted you a new code." : "We texted a code to your phone.";
                break;
            case VerificationStart.Required:
                Method = TwoFactorMethod.Authenticator;
                Source = "Enter the code from your authenticator app.";
                break;
            case VerificationStart.CodeNotSent notSent:
                Method = (await login.PendingAsync(user))?.Method;
                Source = (notSent.Problem.Detail ?? "No new code could be texted.") + " The code we texted before, or an emergency code, still works.";
                break;
            case VerificationStart.Locked locked:
                Error = locked.RetryAfter is { } wait ? $"Too many wrong codes. Try again in {Math.Ceiling(wait.TotalMinutes)} minutes." : "Too many wrong codes. Ask us to unlock your account.";
                break;
            default:
                Source = "Enter your code.";
                break;
        }

        var status = await service.GetTwoFactorStatusAsync(await login.ServiceUserIdAsync(user));
        CanRemember = status.Policy == TwoFactorPolicy.OncePerComputer;
        return Page();
    }
}
