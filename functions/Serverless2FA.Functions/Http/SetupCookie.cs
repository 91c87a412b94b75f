using Microsoft.AspNetCore.Http;

namespace Serverless2FA.Functions.Http;

/// <summary>
/// The short setup session: HttpOnly, SameSite=Lax (it must survive the redirect when the texted link
/// is opened from another app or site), Secure when the public URL is https.
/// </summary>
public static class SetupCookie
{
    public const string Name = "s2fa_setup";

    public static string? Read(HttpRequest request) => request.Cookies.TryGetValue(Name, out var value) ? value : null;

    public static void Write(HttpResponse response, string value, DateTimeOffset expires, Uri publicBaseUrl)
        => response.Cookies.Append(Name, value, Options(expires, publicBaseUrl));

    public static void Clear(HttpResponse response, Uri publicBaseUrl)
        => response.Cookies.Delete(Name, Options(null, publicBaseUrl));

    private static CookieOptions Options(DateTimeOffset? expires, Uri publicBaseUrl) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = publicBaseUrl.Scheme == Uri.UriSchemeHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
