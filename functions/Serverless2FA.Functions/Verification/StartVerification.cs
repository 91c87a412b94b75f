using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Core.Verification;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions.Verification;

/// <summary>The relying app asks, at log-in, whether a second factor is needed and opens a verification (texting a code for SMS users).</summary>
public sealed class StartVerification(VerificationService verifications)
{
    [Function(nameof(StartVerification))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/verifications")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<Body>(req, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var started = await verifications.StartAsync(body!.UserId, body.DeviceToken, cancellationToken).ConfigureAwait(false);
        return started.ToHttp(req);
    }

    public sealed class Body
    {
        public string? UserId { get; set; }
        public string? DeviceToken { get; set; }
    }
}
