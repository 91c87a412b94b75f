using Microsoft.AspNetCore.Mvc;

namespace Serverless2FA.Functions.Http;

/// <summary>Headers every response carries: nothing cached, nothing framed, no referrer leaking a link.</summary>
public sealed class SecurityHeadersFilter : IHttpFunctionFilter
{
    /// <summary>The setup page's policy: its own script and style only, no inline code.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public Task<IActionResult> InvokeAsync(HttpFunctionCall call, Func<Task<IActionResult>> next)
    {
        var headers = call.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["X-Frame-Options"] = "DENY";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        return next();
    }
}
