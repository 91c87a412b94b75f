using Microsoft.AspNetCore.Http;

namespace Serverless2FA.AspNetCore;

/// <summary>
/// The cookies' names and flags: HttpOnly, SameSite=Strict, Path=/. Over https (every deployment) they are
/// <c>Secure</c> and carry the <c>__Host-</c> prefix, so only this exact host over https can set them; over plain
/// http (a laptop) a browser would drop such a cookie, so there they go without both, as the service's setup cookie does.
/// </summary>
internal static class CookieNames
{
    public static string For(HttpRequest request, string name) => request.IsHttps ? "__Host-" + name : name;

    public static CookieOptions Options(HttpRequest request, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
        Expires = expires,
    };
}
