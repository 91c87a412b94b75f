using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Serverless2FA.AspNetCore;

/// <summary>
/// "Remember this computer": keeps the service's device token in a cookie per user (HttpOnly, SameSite=Strict,
/// <c>Secure</c> and <c>__Host-</c> over https), encrypted and bound to the user with Data Protection, so scripts
/// cannot read it and a cookie taken from one user's name does not open another's. Whether it still counts is the
/// service's decision (policy once-per-computer, <c>Verification:DeviceTtl</c>, "forget every computer").
/// </summary>
public sealed class RememberedComputers(IDataProtectionProvider protection, IOptions<Serverless2FAIdentityOptions> options, TimeProvider time)
{
    private const string Prefix = "s2fa-device-";
    private readonly IDataProtector _protector = protection.CreateProtector("Serverless2FA.RememberedComputer.v1");

    /// <summary>The device token this browser holds for <paramref name="serviceUserId"/>, or null.</summary>
    public string? Read(HttpContext context, string serviceUserId)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.Cookies.TryGetValue(CookieName(context.Request, serviceUserId), out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            var parts = _protector.Unprotect(value).Split('\n', 2);
            return parts.Length == 2 && parts[0] == serviceUserId ? parts[1] : null;
        }
        catch (CryptographicException)
        {
            // Tampered with, or written under keys this app no longer has: as if there were none.
            return null;
        }
    }

    /// <summary>Keeps <paramref name="deviceToken"/> (from an approved check with <c>rememberDevice</c>) for <paramref name="serviceUserId"/>.</summary>
    public void Remember(HttpContext context, string serviceUserId, string deviceToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(deviceToken);
        var expires = time.GetUtcNow() + options.Value.RememberComputerFor;
        context.Response.Cookies.Append(
            CookieName(context.Request, serviceUserId), _protector.Protect(serviceUserId + "\n" + deviceToken), CookieNames.Options(context.Request, expires));
    }

    /// <summary>Forgets this computer for <paramref name="serviceUserId"/> (in this browser only; the service forgets with <c>ForgetDevicesAsync</c>).</summary>
    public static void Forget(HttpContext context, string serviceUserId)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Delete(CookieName(context.Request, serviceUserId), CookieNames.Options(context.Request, null));
    }

    /// <summary>Forgets this computer for every user that this browser remembers.</summary>
    public static void ForgetAll(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var prefix = CookieNames.For(context.Request, Prefix);
        foreach (var name in context.Request.Cookies.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            context.Response.Cookies.Delete(name, CookieNames.Options(context.Request, null));
        }
    }

    /// <summary>One cookie per user; its name holds a hash, not the user id.</summary>
    internal static string CookieName(HttpRequest request, string serviceUserId)
        => CookieNames.For(request, Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(serviceUserId)))[..16]);
}
