using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Core.Enrollments;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions.Setup;

/// <summary>
/// The bot's link to the emergency codes of an enrollment by text, the same interstitial as the setup link: a GET (or
/// HEAD) shows a "Show my codes" page and uses nothing up; the page's button posts the form back to the same address,
/// and that POST, same-origin only (<see cref="SameOriginFilter"/>), uses the link up and shows the codes this once.
/// </summary>
public sealed class EmergencyCodesLink(EmergencyCodeLinks links)
{
    public const string ContinuePage = "continue-codes.html";
    public const string CodesPage = "emergency-codes.html";
    public const string GonePage = "codes-link-expired.html";

    [Function("ShowEmergencyCodesLink")]
    public async Task<IActionResult> Show(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "c/{token}")] HttpRequest req,
        string token,
        CancellationToken cancellationToken)
        => await links.IsOpenableAsync(token, cancellationToken).ConfigureAwait(false)
            ? StaticPages.File(ContinuePage)!
            : StaticPages.File(GonePage, StatusCodes.Status410Gone)!;

    [Function("RevealEmergencyCodes")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "c/{token}")] HttpRequest req,
        string token,
        CancellationToken cancellationToken)
    {
        var revealed = await links.RevealAsync(token, cancellationToken).ConfigureAwait(false);
        if (!revealed.Succeeded)
        {
            return StaticPages.File(GonePage, StatusCodes.Status410Gone) ?? Problems.From(revealed.Failure, req.HttpContext);
        }

        // The page is the one answer that holds the codes: never cached (SecurityHeadersFilter), never shown again.
        var codes = string.Join('\n', revealed.Value.Select(WebUtility.HtmlEncode));
        return new ContentResult
        {
            Content = StaticPages.Text(CodesPage).Replace("<!--codes-->", codes, StringComparison.Ordinal),
            ContentType = "text/html; charset=utf-8",
            StatusCode = StatusCodes.Status200OK,
        };
    }
}
