using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless2FA.Core.Verification;
using Serverless2FA.Functions.Http;

namespace Serverless2FA.Functions.Verification;

/// <summary>The relying app passes on the code the person typed, with whose it is: 200 approved or denied (with tries left), 423 locked, 410 expired or approved already, 404 not this user's.</summary>
public sealed class CheckVerification(VerificationService verifications)
{
    [Function(nameof(CheckVerification))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/verifications/{verificationId}/check")] HttpRequest req,
        string verificationId,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<Body>(req, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var checkedCode = await verifications.CheckAsync(verificationId, body!.UserId, body.Code, body.RememberDevice == true, cancellationToken).ConfigureAwait(false);
        return checkedCode.ToHttp(req);
    }

    public sealed class Body
    {
        /// <summary>The user the verification was started for; another user's is not found.</summary>
        public string? UserId { get; set; }
        public string? Code { get; set; }
        public bool? RememberDevice { get; set; }
    }
}
