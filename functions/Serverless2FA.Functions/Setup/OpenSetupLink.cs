using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Options;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions.Setup;

/// <summary>
/// The texted link. A GET (or HEAD) only shows a "Continue" page and uses nothing up, so link scanners, message
/// previews and prefetches, which all GET, cannot spend the single-use token. The page's button posts the form back
/// to the same address; that POST, same-origin only (<see cref="SameOriginFilter"/>), trades the token for a setup
/// session and moves the person to the setup page.
/// </summary>
public sealed class OpenSetupLink(EnrollmentService enrollments, SetupLinks links, IOptions<ServiceOptions> service)
{
    public const string ContinuePage = "continue-setup.html";
    public const string GonePage = "link-expired.html";

    [Function("ShowSetupLink")]
    public async Task<IActionResult> Show(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "s/{token}")] HttpRequest req,
        string token,
        CancellationToken cancellationToken)
        => await links.IsOpenableAsync(token, cancellationToken).ConfigureAwait(false)
            ? StaticPages.File(ContinuePage)!
            : StaticPages.File(GonePage, StatusCodes.Status410Gone)!;

    [Function(nameof(OpenSetupLink))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "s/{token}")] HttpRequest req,
        string token,
        CancellationToken cancellationToken)
    {
        var opened = await enrollments.OpenLinkAsync(token, cancellationToken).ConfigureAwait(false);
        if (!opened.Succeeded)
        {
            return StaticPages.File(GonePage, StatusCodes.Status410Gone)
                ?? Problems.From(opened.Failure, req.HttpContext);
        }

        SetupCookie.Write(req.HttpContext.Response, opened.Value.Cookie, opened.Value.ExpiresAt, service.Value.PublicBaseUrl);
        // 303 to a fixed path: the browser GETs the setup page, and the token leaves the address bar and the history.
        req.HttpContext.Response.Headers.Location = "/setup";
        return new StatusCodeResult(StatusCodes.Status303SeeOther);
    }
}
