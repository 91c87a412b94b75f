using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Options;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions.Setup;

/// <summary>The texted link: trades its single-use token for a setup session and moves the person to the setup page.</summary>
public sealed class OpenSetupLink(EnrollmentService enrollments, IOptions<ServiceOptions> service)
{
    // Messengers fetch links to draw a preview. Such a fetch must not use up the single-use token.
    private static readonly string[] PreviewAgents = ["facebookexternalhit", "Facebot", "Twitterbot", "WhatsApp", "Slackbot", "TelegramBot", "Discordbot", "LinkedInBot", "SkypeUriPreview", "Google-PageRenderer"];

    [Function(nameof(OpenSetupLink))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{token}")] HttpRequest req,
        string token,
        CancellationToken cancellationToken)
    {
        var agent = req.Headers.UserAgent.ToString();
        if (PreviewAgents.Any(p => agent.Contains(p, StringComparison.OrdinalIgnoreCase)))
        {
            return new ContentResult { StatusCode = 200, ContentType = "text/html; charset=utf-8", Content = "<!doctype html><title>Set up two-step sign-in</title>" };
        }

        var opened = await enrollments.OpenLinkAsync(token, cancellationToken).ConfigureAwait(false);
        if (!opened.Succeeded)
        {
            return StaticPages.File("link-expired.html", StatusCodes.Status410Gone)
                ?? Problems.From(opened.Failure, req.HttpContext);
        }

        SetupCookie.Write(req.HttpContext.Response, opened.Value.Cookie, opened.Value.ExpiresAt, service.Value.PublicBaseUrl);
        // 303 to a fixed path: the token leaves the address bar and the history.
        req.HttpContext.Response.Headers.Location = "/setup";
        return new StatusCodeResult(StatusCodes.Status303SeeOther);
    }
}
