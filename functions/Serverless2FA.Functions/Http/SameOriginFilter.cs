using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Options;
using Serverless2FA.Functions.Setup;

namespace Serverless2FA.Functions.Http;

/// <summary>
/// The browser-facing POSTs (the texted link's Continue button and the setup page's calls) come only from this
/// service's own pages. The SameSite=Lax cookie still travels on requests from a sibling subdomain, and the link's
/// POST carries no cookie at all, so each such request must show it came from this origin: a <c>Sec-Fetch-Site</c>
/// of <c>cross-site</c> or <c>same-site</c>, or an <c>Origin</c> other than this service's, gets 403 before the
/// function runs. <c>Origin: null</c> is what a browser sends for a same-origin form under
/// <c>Referrer-Policy: no-referrer</c>, so it is left to Sec-Fetch-Site, which every current browser sends.
/// </summary>
public sealed class SameOriginFilter(IOptionsMonitor<ServiceOptions> service, ILogger<SameOriginFilter> logger) : IHttpFunctionFilter
{
    /// <summary>The functions this guards; a new browser-facing POST belongs here.</summary>
    public static readonly IReadOnlySet<string> Functions = new HashSet<string>(StringComparer.Ordinal)
    {
        nameof(OpenSetupLink),
        "RevealEmergencyCodes",
        "BeginAuthenticatorSetup",
        "SendSetupCode",
        "VerifySetupCode",
        "CompleteSetup",
    };

    public Task<IActionResult> InvokeAsync(HttpFunctionCall call, Func<Task<IActionResult>> next)
    {
        if (!Functions.Contains(call.FunctionName) || IsOwnOrigin(call.HttpContext.Request))
        {
            return next();
        }

        logger.LogWarning("Refused {Function}: a request from another site", call.FunctionName);
        return Task.FromResult(Problems.Create(
            StatusCodes.Status403Forbidden,
            "Forbidden.",
            "This request must come from the setup page itself, not from another site.",
            "urn:serverless2fa:problem:cross-site"));
    }

    private bool IsOwnOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Equals("cross-site", StringComparison.OrdinalIgnoreCase) || site.Equals("same-site", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || origin == "null")
        {
            return true;
        }

        // The public origin, or the one this request was sent to (a laptop may call 127.0.0.1 for localhost).
        return Same(origin, service.CurrentValue.PublicBaseUrl.GetLeftPart(UriPartial.Authority))
               || Same(origin, request.Scheme + "://" + request.Host.Value);
    }

    private static bool Same(string origin, string expected) => origin.Equals(expected, StringComparison.OrdinalIgnoreCase);
}
