using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Client;

namespace Serverless2FA.AspNetCore;

/// <summary>
/// Identity's <see cref="SignInManager{TUser}"/> with the computer remembered by the service, not by Identity:
/// <c>rememberClient</c> asks the service for a device token (given only under the policy once-per-computer) and
/// keeps it in <see cref="RememberedComputers"/>; at the next password sign-in the service decides whether this
/// computer still skips the code. Identity's own remember-me cookie is neither set nor honoured, since it would skip
/// the code for a user whose policy is every log-in.
/// </summary>
public class Serverless2FASignInManager<TUser>(
    UserManager<TUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<TUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<TUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<TUser> confirmation,
    IOptions<Serverless2FAIdentityOptions> serverless2FA,
    RememberedComputers computers)
    : SignInManager<TUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
    where TUser : class
{
    private Serverless2FALogin<TUser> Login => Context.RequestServices.GetService(typeof(Serverless2FALogin<TUser>)) as Serverless2FALogin<TUser>
        ?? throw new InvalidOperationException("Call AddServerless2FA() on the IdentityBuilder.");

    /// <summary>True when this browser holds a device token for the user and the service says no code is needed.</summary>
    public override async Task<bool> IsTwoFactorClientRememberedAsync(TUser user)
    {
        var userId = await Login.ServiceUserIdAsync(user).ConfigureAwait(false);
        if (computers.Read(Context, userId) is null)
        {
            return false;
        }

        // With a code required, the verification started here stays pending for the code page (no second text).
        return await Login.StartAsync(user, resend: true).ConfigureAwait(false) is VerificationStart.NotRequired;
    }

    /// <summary>Keeps the service's device token, when the approval just made carried one.</summary>
    public override async Task RememberTwoFactorClientAsync(TUser user) => await Login.RememberIssuedDeviceAsync(user).ConfigureAwait(false);

    /// <summary>Forgets every computer this browser remembers (the service's record stays until <c>ForgetDevicesAsync</c>).</summary>
    public override async Task ForgetTwoFactorClientAsync()
    {
        await base.ForgetTwoFactorClientAsync().ConfigureAwait(false);
        RememberedComputers.ForgetAll(Context);
    }

    /// <inheritdoc />
    public override Task<SignInResult> TwoFactorSignInAsync(string provider, string code, bool isPersistent, bool rememberClient)
    {
        if (provider == serverless2FA.Value.ProviderName)
        {
            Login.RememberRequested = rememberClient;
        }

        return base.TwoFactorSignInAsync(provider, code, isPersistent, rememberClient);
    }

    /// <inheritdoc />
    public override Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        if (Options.Tokens.AuthenticatorTokenProvider == serverless2FA.Value.ProviderName)
        {
            Login.RememberRequested = rememberClient;
        }

        return base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
    }

    /// <summary>Signs out and forgets the pending verification; a remembered computer stays remembered.</summary>
    public override async Task SignOutAsync()
    {
        await base.SignOutAsync().ConfigureAwait(false);
        Login.Clear();
    }
}
