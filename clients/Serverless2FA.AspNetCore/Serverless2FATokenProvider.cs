using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Client;

namespace Serverless2FA.AspNetCore;

/// <summary>
/// Identity's two-factor token provider over the service. Unlike Identity's own authenticator provider, a code is
/// accepted once, wrong codes are counted across attempts and lock the factor, and emergency codes work, because the
/// service decides. <see cref="GenerateAsync"/> starts a verification (the service texts SMS users their code
/// itself, so the token it returns is empty: there is nothing for the app to send); <see cref="ValidateAsync"/>
/// checks the code against the verification pending in this browser for this user.
/// </summary>
public sealed class Serverless2FATokenProvider<TUser>(
    IServiceProvider services,
    IServerless2FAClient client,
    IOptions<Serverless2FAIdentityOptions> options,
    ILogger<Serverless2FATokenProvider<TUser>> logger) : IUserTwoFactorTokenProvider<TUser>
    where TUser : class
{
    /// <summary>True when the service says the user is enrolled; also true when it cannot be asked, so sign-in fails closed.</summary>
    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<TUser> manager, TUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var userId = await ServiceUserIds.OfAsync(manager, user, options).ConfigureAwait(false);
        try
        {
            return (await client.GetTwoFactorStatusAsync(userId).ConfigureAwait(false)).Enrolled;
        }
        catch (Serverless2FAException ex)
        {
            // Not knowing must not let a password alone in: ask for a code, which cannot be checked until it answers.
            logger.LogWarning(ex, "Serverless2FA: could not read the two-factor status; asking for a code");
            return true;
        }
    }

    /// <summary>Starts (or reuses) the verification for this browser's sign-in; returns an empty token.</summary>
    public async Task<string> GenerateAsync(string purpose, UserManager<TUser> manager, TUser user)
    {
        await Login.StartAsync(user).ConfigureAwait(false);
        return string.Empty;
    }

    /// <summary>Checks <paramref name="token"/> with the service; true only when it approved.</summary>
    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<TUser> manager, TUser user)
    {
        var login = Login;
        try
        {
            return await login.CheckAsync(user, token ?? string.Empty, login.RememberRequested).ConfigureAwait(false) is VerificationCheck.Approved;
        }
        catch (Serverless2FAException ex)
        {
            logger.LogWarning(ex, "Serverless2FA: the code could not be checked");
            return false;
        }
    }

    // Scoped (it holds this request's state) while token providers are resolved per UserManager.
    private Serverless2FALogin<TUser> Login => services.GetRequiredService<Serverless2FALogin<TUser>>();
}
