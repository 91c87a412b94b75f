using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Serverless2FA.Core.Enrollments;
using Serverless2FA.Core.Options;
using Serverless2FA.Core.Results;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions.Setup;

/// <summary>
/// What the setup page calls, each bound to the setup session cookie. POSTs take only application/json, which a
/// cross-site form cannot send, and refuse another site's requests (<see cref="SameOriginFilter"/>).
/// </summary>
public sealed class SetupApi(SetupService setup, IOptions<ServiceOptions> service)
{
    [Function("GetSetup")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/setup")] HttpRequest req,
        CancellationToken cancellationToken)
        => (await setup.GetAsync(Session(req), cancellationToken).ConfigureAwait(false)).ToHttp(req);

    [Function("BeginAuthenticatorSetup")]
    public async Task<IActionResult> Authenticator(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/setup/authenticator")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var (_, problem) = await JsonBody.ReadAsync<EmptyBody>(req, cancellationToken, optional: true).ConfigureAwait(false);
        return problem ?? (await setup.BeginAuthenticatorAsync(Session(req), cancellationToken).ConfigureAwait(false)).ToHttp(req);
    }

    [Function("SendSetupCode")]
    public async Task<IActionResult> Sms(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/setup/sms")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var (_, problem) = await JsonBody.ReadAsync<EmptyBody>(req, cancellationToken, optional: true).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var sent = await setup.SendCodeAsync(Session(req), cancellationToken).ConfigureAwait(false);
        return sent.ToHttp(req, expiresAt => Json.Ok(new { status = "code-sent", expiresAt }, StatusCodes.Status202Accepted));
    }

    [Function("VerifySetupCode")]
    public async Task<IActionResult> Verify(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/setup/verify")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<VerifyBody>(req, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var verified = await setup.VerifyAsync(Session(req), body!.Code, cancellationToken).ConfigureAwait(false);
        return verified.ToHttp(req, emergencyCodes => Json.Ok(new { emergencyCodes }));
    }

    [Function("CompleteSetup")]
    public async Task<IActionResult> Complete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/setup/complete")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CompleteBody>(req, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var completed = await setup.CompleteAsync(Session(req), body!.Policy, body.Acknowledged, cancellationToken).ConfigureAwait(false);
        if (completed.Succeeded)
        {
            SetupCookie.Clear(req.HttpContext.Response, service.Value.PublicBaseUrl);
        }

        return completed.ToHttp(req);
    }

    private string? Session(HttpRequest req) => SetupCookie.Read(req, service.Value.PublicBaseUrl);

    public sealed class EmptyBody;

    public sealed class VerifyBody
    {
        public string? Code { get; set; }
    }

    public sealed class CompleteBody
    {
        public string? Policy { get; set; }
        public bool? Acknowledged { get; set; }
    }
}
