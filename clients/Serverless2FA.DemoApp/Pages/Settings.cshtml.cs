using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Serverless2FA.AspNetCore;
using Serverless2FA.Client;
using Serverless2FA.DemoApp.Data;
using Serverless2FA.DemoApp.TwoFactor;

namespace Serverless2FA.DemoApp.Pages;

/// <summary>Settings → Two-factor authentication: turn it on ("Text me"), watch it finish, change the phone, renew the codes, turn it off.</summary>
public sealed class SettingsModel(UserManager<DemoUser> users, TwoFactorPanels panels, IServerless2FAClient service) : PageModel
{
    public TwoFactorPanel Panel { get; private set; } = new(PanelState.Off, null);

    public async Task<IActionResult> OnGetAsync() => await ShowAsync(async user => await panels.RefreshAsync(user));

    /// <summary>The panel alone, for the page's poll while a texted link is open.</summary>
    public async Task<IActionResult> OnGetPanelAsync()
    {
        var user = await CurrentUserAsync();
        return user is null ? Unauthorized() : Partial("_TwoFactorPanel", await panels.PollAsync(user));
    }

    public Task<IActionResult> OnPostTextMeAsync(string phone, string policy)
        => ShowAsync(async user => await StartEnrollmentAsync(user, phone, policy, stepUp: null));

    public Task<IActionResult> OnPostTurnOffAsync()
        => ShowAsync(async user =>
        {
            await service.DisableTwoFactorAsync(user.Id);
            await panels.MarkOffAsync(user);
            RememberedComputers.Forget(HttpContext, user.Id);
            return await panels.RefreshAsync(user) with { Notice = "Two-factor authentication is off." };
        });

    public Task<IActionResult> OnPostNewCodesAsync()
        => ShowAsync(async user =>
        {
            var codes = await service.RenewEmergencyCodesAsync(user.Id);
            return await panels.RefreshAsync(user) with { EmergencyCodes = codes };
        });

    /// <summary>Changing the phone replaces the factor: first a fresh verification the person approves (step-up).</summary>
    public Task<IActionResult> OnPostChangePhoneAsync()
        => ShowAsync(async user =>
        {
            var panel = await panels.RefreshAsync(user);
            return await service.StartVerificationAsync(user.Id) switch
            {
                VerificationStart.Required required => panel with { StepUp = new StepUp(required.VerificationId, required.Method) },
                VerificationStart.NotRequired notRequired => panel with { StepUp = new StepUp(notRequired.VerificationId, notRequired.Method) },
                VerificationStart.CodeNotSent { VerificationId: { } id } notSent => panel with { StepUp = new StepUp(id, null), Error = notSent.Problem.Detail },
                VerificationStart.Locked => panel with { Error = "Too many wrong codes. Try again later." },
                _ => panel with { Error = "Two-factor authentication is not on." },
            };
        });

    public Task<IActionResult> OnPostConfirmChangeAsync(string verificationId, string code, string phone, string policy)
        => ShowAsync(async user =>
        {
            var check = await service.CheckVerificationAsync(verificationId, user.Id, code);
            if (check is VerificationCheck.Approved)
            {
                return await StartEnrollmentAsync(user, phone, policy, stepUp: verificationId);
            }

            var panel = await panels.RefreshAsync(user);
            return check switch
            {
                VerificationCheck.Denied denied => panel with
                {
                    StepUp = new StepUp(verificationId, panel.Status?.Method),
                    Errors = new Dictionary<string, IReadOnlyList<string>> { ["code"] = [$"That code is not right. {denied.AttemptsLeft} left."] },
                },
                VerificationCheck.InvalidCode invalid => panel with
                {
                    StepUp = new StepUp(verificationId, panel.Status?.Method),
                    Errors = invalid.Problem.Errors,
                },
                _ => panel with { Error = "That confirmation is over (expired, used or locked). Press Change phone to start again." },
            };
        });

    private async Task<TwoFactorPanel> StartEnrollmentAsync(DemoUser user, string phone, string policy, string? stepUp)
    {
        var request = new StartEnrollmentRequest(user.Id)
        {
            Phone = phone,
            Policy = policy == "once-per-computer" ? TwoFactorPolicy.OncePerComputer : TwoFactorPolicy.EveryLogin,
            StepUp = stepUp,
        };
        switch (await service.StartEnrollmentAsync(request))
        {
            case EnrollmentStart.LinkSent sent:
                await panels.MarkPendingAsync(user, sent.EnrollmentId);
                return new TwoFactorPanel(PanelState.Pending, null);
            case EnrollmentStart.StepUpRequired:
                return await panels.RefreshAsync(user) with { Error = "Two-factor authentication is already on. Use Change phone." };
            case var _:
                return await panels.RefreshAsync(user) with { Error = "That confirmation no longer works. Press Change phone to start again." };
        }
    }

    private async Task<IActionResult> ShowAsync(Func<DemoUser, Task<TwoFactorPanel>> build)
    {
        var user = await CurrentUserAsync();
        if (user is null)
        {
            return Challenge();
        }

        try
        {
            Panel = await build(user);
        }
        catch (Serverless2FAProblemException ex)
        {
            // Invalid input or a refused text: the service's words, per field where it names one.
            Panel = await SafeRefreshAsync(user) with { Error = ex.Errors.Count > 0 ? null : ex.Detail, Errors = ex.Errors };
        }
        catch (Serverless2FAUnavailableException)
        {
            Panel = new TwoFactorPanel(PanelState.Off, null) { Error = "Two-factor authentication cannot be reached right now. Try again in a minute." };
        }

        return Page();
    }

    private async Task<TwoFactorPanel> SafeRefreshAsync(DemoUser user)
    {
        try
        {
            return await panels.RefreshAsync(user);
        }
        catch (Serverless2FAException)
        {
            return new TwoFactorPanel(PanelState.Off, null);
        }
    }

    private Task<DemoUser?> CurrentUserAsync() => users.GetUserAsync(User);
}
