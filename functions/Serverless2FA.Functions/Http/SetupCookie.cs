using Microsoft.AspNetCore.Http;

namespace Serverless2FA.Functions.Http;

/// <summary>
/// The short setup session: HttpOnly, SameSite=Lax (it must survive the redirect when the texted link is opened
/// from another app or site), Path=/. When PublicBaseUrl is https it is <c>__Host-s2fa_setup</c> and Secure: the
/// browser then accepts it only from this exact host over https, so a sibling subdomain or a plain-http page cannot
/// plant or overwrite one. Over http (a laptop) it is <c>s2fa_setup</c>.
/// </summary>
public static class SetupCookie
{
    public const string Name = "s2fa_setup";

    public const string SecureName = "__Host-" + Name;

    public static string NameFor(Uri publicBaseUrl) => IsHttps(publicBaseUrl) ? SecureName : Name;

    /// <summary>Only the cookie of the current name counts: a plain one beside a <c>__Host-</c> one may have been planted.</summary>
    public static string? Read(HttpRequest request, Uri publicBaseUrl)
        => request.Cookies.TryGetValue(NameFor(publicBaseUrl), out var value) ? value : null;

    public static void Write(HttpResponse response, string value, DateTimeOffset expires, Uri publicBaseUrl)
        => response.Cookies.Append(NameFor(publicBaseUrl), value, Options(expires, publicBaseUrl));

    public static void Clear(HttpResponse response, Uri publicBaseUrl)
        => response.Cookies.Delete(NameFor(publicBaseUrl), Options(null, publicBaseUrl));

    private static bool IsHttps(Uri publicBaseUrl) => publicBaseUrl.Scheme == Uri.UriSchemeHttps;

    private static CookieOptions Options(DateTimeOffset? expires, Uri publicBaseUrl) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = IsHttps(publicBaseUrl),
        // __Host- requires Path=/ and no Domain; the setup page and its API share the cookie anyway.
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
