using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Serverless2FA.Client;

namespace Serverless2FA.AspNetCore;

/// <summary>A verification started for a user and not yet decided.</summary>
/// <param name="UserId">The service's userId it was started for.</param>
/// <param name="VerificationId">The service's verification.</param>
/// <param name="Method">Where the code comes from, when known.</param>
/// <param name="ExpiresAt">When the service stops accepting it.</param>
public sealed record PendingVerification(string UserId, string VerificationId, TwoFactorMethod? Method, DateTimeOffset ExpiresAt);

/// <summary>
/// Where the verificationId lives between "start" (the password was right) and "check" (the code): a cookie of
/// this browser, encrypted and signed with Data Protection and naming the user it was started for, so it can be
/// neither read, forged nor carried to another user; the service checks the user again (<c>userId</c> on check).
/// </summary>
public sealed class PendingVerifications(IDataProtectionProvider protection, TimeProvider time)
{
    private const string Name = "s2fa-verification";
    private readonly IDataProtector _protector = protection.CreateProtector("Serverless2FA.PendingVerification.v1");

    /// <summary>The verification pending in this browser for <paramref name="serviceUserId"/>, unless expired or another user's.</summary>
    public PendingVerification? Read(HttpContext context, string serviceUserId)
    {
        if (!context.Request.Cookies.TryGetValue(CookieNames.For(context.Request, Name), out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            var pending = JsonSerializer.Deserialize<PendingVerification>(_protector.Unprotect(value));
            return pending is not null && pending.UserId == serviceUserId && pending.ExpiresAt > time.GetUtcNow() ? pending : null;
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Keeps <paramref name="pending"/> until it expires.</summary>
    public void Write(HttpContext context, PendingVerification pending)
        => context.Response.Cookies.Append(
            CookieNames.For(context.Request, Name), _protector.Protect(JsonSerializer.Serialize(pending)), CookieNames.Options(context.Request, pending.ExpiresAt));

    /// <summary>Forgets the pending verification.</summary>
    public static void Clear(HttpContext context)
    {
        if (context.Request.Cookies.ContainsKey(CookieNames.For(context.Request, Name)))
        {
            context.Response.Cookies.Delete(CookieNames.For(context.Request, Name), CookieNames.Options(context.Request, null));
        }
    }
}
